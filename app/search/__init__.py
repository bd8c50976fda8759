"""Search for public-records requests (utlämnande av allmän handling).

Anyone may ask to see a comment written on a municipal account; the registrar
must find it by sender, time or wording — also when it was hidden, removed or
edited since — and show the evidence kept and the case number it got.
"""
