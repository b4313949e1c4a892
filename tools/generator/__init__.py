"""The spec-to-code generator: `python -m tools.generator` renders the API, models and docs/
from openapi.yaml. It is two parts: `parse` turns the spec into the typed form of `ir`, and
`render` fills the templates with it."""

NAME = "airflow-sdk-generator"
VERSION = "1.0.0"
