"""Everything a workbook needs to speak one language: interface strings, catalogue texts, CLDR formats."""

from generator.i18n.formats import NumberFormats, month_names, upper
from generator.i18n.messages import Messages, available_locales
from generator.i18n.texts import Texts

__all__ = ["Messages", "NumberFormats", "Texts", "available_locales", "month_names", "upper"]
