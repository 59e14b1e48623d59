"""What PowerShell takes as a quote, from its language specification, not
from vault's escaper (src/escape.rs): the model in ps_values.py and the
quote test in tests/injection.rs build their quote set from this table.

PowerShell Language Specification 3.0, section 2.3.5.2 "String literals",
the productions the single-quoted (verbatim) string is made of:

    single-quote-character:
        ' (U+0027)
        Left single quotation mark (U+2018)
        Right single quotation mark (U+2019)
        Single low-9 quotation mark (U+201A)
        Single high-reversed-9 quotation mark (U+201B)

    verbatim-string-literal:
        single-quote-character verbatim-string-characters_opt single-quote-character
    verbatim-string-part:
        any Unicode character except single-quote-character
        single-quote-character single-quote-character

So any of the five ends a single-quoted string, and two of them in a row
(any two) stand for one quote character inside it (vault doubles each one
as it is, so which of the two does not matter). The characters
are named here as the specification names them and looked up by name in the
Unicode database, so a code point mistyped here fails at import.
"""

import unicodedata

# (the specification's wording, the Unicode character name)
SINGLE_QUOTE_CHARACTERS = [
    ("' (U+0027)", "APOSTROPHE"),
    ("Left single quotation mark (U+2018)", "LEFT SINGLE QUOTATION MARK"),
    ("Right single quotation mark (U+2019)", "RIGHT SINGLE QUOTATION MARK"),
    ("Single low-9 quotation mark (U+201A)", "SINGLE LOW-9 QUOTATION MARK"),
    ("Single high-reversed-9 quotation mark (U+201B)", "SINGLE HIGH-REVERSED-9 QUOTATION MARK"),
]

QUOTES = "".join(unicodedata.lookup(name) for _, name in SINGLE_QUOTE_CHARACTERS)

for wording, name in SINGLE_QUOTE_CHARACTERS:
    code = f"U+{ord(unicodedata.lookup(name)):04X}"
    assert code in wording, f"the table says {wording!r} but {name} is {code}"
