"""The XlsxWriter side: one module per sheet, a style cache, and the build that ties them."""
