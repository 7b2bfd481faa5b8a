"""Thai text that survives in a PDF's text layer (copy, search, pypdf), for satun_ita/pdf.py.

A PDF maps each glyph to the text it stands for (the font's ToUnicode map), one entry per glyph for the whole
document. Two things in Thai break that map as WeasyPrint builds it (from the first cluster it sees a glyph in):

- HarfBuzz draws SARA AM (ำ) as two glyphs, NIKHAHIT (ํ) then SARA AA (า), and moves the NIKHAHIT before a
  tone mark (น้ำ → น ํ ้ า, where Sarabun joins ํ and ้ into one glyph). The SARA AA glyph is the same as a
  plain า, so one map entry cannot say "า" in "การ" and "ำ" in "ประจำ"; and when the first use of a glyph is
  inside such a cluster, the glyph is mapped to the whole cluster, and every later plain า reads "้ำ".
- Glyphs drawn for several characters get the text of the first place they appear.

So, for each font that has Thai: `thai_font()` gives SARA AA after a NIKHAHIT its own glyph ("uni0E32.am",
the same outline, through one more contextual substitution in the font's `ccmp`), and `fix_text_maps()`, run
by WeasyPrint just before it writes the fonts, maps every glyph the font's cmap names to its own character,
"uni0E32.am" to ำ and the NIKHAHIT glyphs to what they carry besides it (nothing, or their tone mark). Thai
text then reads back exactly as stored.
"""

import io
from functools import lru_cache

SARA_AA = "uni0E32"
SARA_AA_IN_AM = "uni0E32.am"
NIKHAHIT = "uni0E4D"
# Sarabun's NIKHAHIT + tone ligatures: "uni0E4D0E49" is ํ with ้ above it, ".narrow" after a narrow consonant.
TONES = {"0E48": "\u0e48", "0E49": "\u0e49", "0E4A": "\u0e4a", "0E4B": "\u0e4b"}


def _is_thai_font(font) -> bool:
    cmap = font.getBestCmap() or {}
    return (
        cmap.get(0x0E32) == SARA_AA
        and cmap.get(0x0E4D) == NIKHAHIT
        and SARA_AA_IN_AM not in font.getGlyphOrder()
    )


def _nikhahit_glyphs(font) -> list[str]:
    return [name for name in font.getGlyphOrder() if name.startswith(NIKHAHIT)]


@lru_cache(maxsize=16)
def thai_font(data: bytes) -> bytes:
    """`data` (a TTF/WOFF font) with SARA AA after NIKHAHIT drawn by its own glyph; other fonts unchanged."""
    from fontTools.otlLib import builder  # noqa: PLC0415 - fontTools comes with WeasyPrint
    from fontTools.ttLib import TTFont  # noqa: PLC0415
    from fontTools.ttLib.tables import _g_l_y_f, otTables  # noqa: PLC0415

    font = TTFont(io.BytesIO(data))
    if "GSUB" not in font or "glyf" not in font or not _is_thai_font(font):
        return data
    order = list(font.getGlyphOrder())
    nikhahits = _nikhahit_glyphs(font)

    # The new glyph: a composite of SARA AA, same advance, same class.
    glyph = _g_l_y_f.Glyph()
    glyph.numberOfContours = -1
    component = _g_l_y_f.GlyphComponent()
    component.glyphName, component.x, component.y, component.flags = SARA_AA, 0, 0, 0x0001 | 0x0004
    glyph.components = [component]
    font["glyf"][SARA_AA_IN_AM] = glyph
    if SARA_AA_IN_AM not in font.getGlyphOrder():
        font.setGlyphOrder([*order, SARA_AA_IN_AM])
    font["hmtx"][SARA_AA_IN_AM] = font["hmtx"][SARA_AA]
    if "GDEF" in font and font["GDEF"].table.GlyphClassDef is not None:
        class_defs = font["GDEF"].table.GlyphClassDef.classDefs
        class_defs[SARA_AA_IN_AM] = class_defs.get(SARA_AA, 1)

    # SARA AA → SARA_AA_IN_AM right after any NIKHAHIT glyph, last of the ccmp lookups (after its ligatures).
    gsub = font["GSUB"].table
    glyph_ids = font.getReverseGlyphMap()
    gsub.LookupList.Lookup.append(
        builder.buildLookup([builder.buildSingleSubstSubtable({SARA_AA: SARA_AA_IN_AM})])
    )
    single_index = len(gsub.LookupList.Lookup) - 1
    chain = otTables.ChainContextSubst()
    chain.Format = 3
    chain.BacktrackGlyphCount, chain.BacktrackCoverage = 1, [builder.buildCoverage(nikhahits, glyph_ids)]
    chain.InputGlyphCount, chain.InputCoverage = 1, [builder.buildCoverage([SARA_AA], glyph_ids)]
    chain.LookAheadGlyphCount, chain.LookAheadCoverage = 0, []
    record = otTables.SubstLookupRecord()
    record.SequenceIndex, record.LookupListIndex = 0, single_index
    chain.SubstCount, chain.SubstLookupRecord = 1, [record]
    gsub.LookupList.Lookup.append(builder.buildLookup([chain]))
    gsub.LookupList.LookupCount = len(gsub.LookupList.Lookup)
    chain_index = len(gsub.LookupList.Lookup) - 1
    for feature in gsub.FeatureList.FeatureRecord:
        if feature.FeatureTag == "ccmp":
            feature.Feature.LookupListIndex.append(chain_index)
            feature.Feature.LookupCount = len(feature.Feature.LookupListIndex)

    font.flavor = None  # a plain TTF: WeasyPrint embeds it as is
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _glyph_texts(file_content: bytes, index: int) -> dict[int, str]:
    """Glyph id → the text that glyph stands for, from the font itself."""
    from fontTools.ttLib import TTFont  # noqa: PLC0415

    font = TTFont(io.BytesIO(file_content), fontNumber=index)
    texts = {}
    for codepoint, name in (font.getBestCmap() or {}).items():
        texts.setdefault(font.getGlyphID(name), chr(codepoint))
    order = font.getGlyphOrder()
    if SARA_AA_IN_AM in order:
        texts[font.getGlyphID(SARA_AA_IN_AM)] = "\u0e33"
        for name in _nikhahit_glyphs(font):
            tone = name[len(NIKHAHIT) :].split(".")[0]
            texts[font.getGlyphID(name)] = TONES.get(tone, "")
    return texts


def fix_text_maps(fonts) -> None:
    """Correct each font's glyph → text map (WeasyPrint's `Font.to_unicode`) before the PDF is written."""
    for font in fonts.values():
        if font.bitmap or not font.to_unicode:
            continue
        texts = _cached_glyph_texts(font.file_content, font.index)
        for glyph_id in font.to_unicode:
            if glyph_id in texts:
                font.to_unicode[glyph_id] = texts[glyph_id]


@lru_cache(maxsize=32)
def _cached_glyph_texts(file_content: bytes, index: int) -> dict[int, str]:
    return _glyph_texts(file_content, index)
