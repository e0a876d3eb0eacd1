"""Validator: read back workbooks that people filled in, safely."""
