"""KPI template engine: catalogue in, Excel workbook out, and a validator to read it back."""

__version__ = "0.1.0"
