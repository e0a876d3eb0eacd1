"""Moving a user's data between workbooks: read a filled one, regenerate, import, export, consolidate."""
