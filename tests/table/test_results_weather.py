"""A league table (inline rows, a group rule under the promotion places, figures right-aligned) and a
weather table whose Chinese cells wrap in their share of the width, composed with kinsoku."""

from __future__ import annotations

from tablekit import lay_out, write_edition

from layout.frames import GlyphRun, Rule

LEAGUE = """
league:
  title: 中超聯賽積分榜（第28輪後）
  style: results
  header: [名次, 球隊, 場, 勝, 平, 負, 進/失, 積分]
  columns:
    名次: number
    球隊: {type: text, width: 1}
    進/失: text
  rows:
    - [1, 上海海港, 28, 19, 6, 3, 62/28, 63]
    - [2, 成都蓉城, 28, 18, 5, 5, 55/27, 59]
    - [3, 北京國安, 28, 15, 8, 5, 50/33, 53]
    - []
    - [4, 重慶銅梁龍, 28, 14, 7, 7, 41/30, 49]
    - [5, 山東泰山, 28, 12, 9, 7, 44/36, 45]
    - [6, Zhejiang FC, 28, 10, 8, 10, 38/38, 38]
  source: 來源：中國足球協會
"""


def test_league_table(kit, tmp_path):
    path = write_edition(tmp_path, LEAGUE, "- table: league\n  at: {col: 1, line: 1, cols: 3, lines: 20}")
    lay, diags = lay_out(kit, path)
    assert not [d for d in diags if d.severity == "error"], [d.format() for d in diags]
    frame = lay.pages[0].frame
    result = lay.pages[0].tables[0]
    assert (result.rows_set, result.across, result.status) == (6, 1, "fits")
    assert result.size == 8  # the results style's first step fits three columns
    runs = [r for r in frame.items if isinstance(r, GlyphRun) and r.source.kind == "table-cell"]
    by_row: dict[int, list[GlyphRun]] = {}
    for r in runs:
        by_row.setdefault(r.source.paragraph, []).append(r)
    assert [len(v) for v in by_row.values()] == [8] * 6
    texts = ["".join(r.text for r in by_row[n]).replace(" ", "") for n in range(6)]
    assert texts[3] == "4重慶銅梁龍2814774" "1/3049"
    assert "ZhejiangFC" in texts[5]
    # Points (the last column) end on one right edge; the team names start on one left edge.
    ends = [max(g.left + g.advance for g in by_row[n][-1].glyphs) for n in range(6)]
    assert max(ends) - min(ends) < 0.01
    starts = [by_row[n][1].glyphs[0].left for n in range(6)]
    assert max(starts) - min(starts) < 0.01
    # The empty row is a rule between the groups: under row 3, over row 4.
    rules = [r for r in frame.items if isinstance(r, Rule) and r.source.kind == "table-rule"]
    y3, y4 = by_row[2][0].glyphs[0].y, by_row[3][0].glyphs[0].y
    between = [r for r in rules if y3 < r.y0 < y4]
    assert len(between) == 1 and between[0].width == 0.25
    module = next(m for m in frame.modules if m.kind == "table")
    for item in frame.items:
        if isinstance(item, GlyphRun) and item.source.story == "league":
            for g in item.glyphs:
                assert module.x - 0.01 <= g.left and g.left + g.advance <= module.x + module.w + 0.01
                assert module.y <= g.y <= module.y + module.h


WEATHER = """
weather:
  title: 本市及周邊未來三天天氣
  header: [城市, 今天, 明天, 後天, 氣溫]
  columns:
    今天: {width: 1}
    明天: {width: 1}
    後天: {width: 1}
  rows:
    - [主城, 多雲轉小雨，局部中雨, 小雨轉陰, 陰天間多雲, 8～14℃]
    - [萬州, 陰有小雨，午後轉多雲, 多雲, 晴間多雲, 6～13℃]
    - [涪陵, 小雨（夜間有霧）, 陰, 多雲轉晴, 7～15℃]
    - [黔江, 雨夾雪，山區有積雪, 陰轉小雨, 小雨, 2～9℃]
  notes: [註：“～”前後為最低、最高氣溫。]
  source: 來源：市氣象台
"""

NO_LINE_START = set("，。、；：？！）」』》〉】〕”’～℃")


def test_weather_table_wraps_chinese_cells_with_kinsoku(kit, tmp_path):
    path = write_edition(tmp_path, WEATHER, "- table: weather\n  at: {col: 1, line: 1, cols: 2, lines: 30}")
    lay, diags = lay_out(kit, path)
    assert not [d for d in diags if d.severity == "error"], [d.format() for d in diags]
    frame = lay.pages[0].frame
    result = lay.pages[0].tables[0]
    assert result.status == "fits" and result.across == 1
    cells: dict[tuple[int, float], list[GlyphRun]] = {}
    for r in frame.items:
        if isinstance(r, GlyphRun) and r.source.kind == "table-cell":
            cells.setdefault((r.source.paragraph, round(r.glyphs[0].left)), []).append(r)
    lines = [r for r in frame.items if isinstance(r, GlyphRun) and r.source.kind == "table-cell"]
    wrapped = [runs for runs in cells.values() if len({r.glyphs[0].y for r in runs}) > 1]
    assert wrapped, "the long forecasts wrap in their share of the width"
    for run in lines:
        assert run.text[0] not in NO_LINE_START, run.text
    # All of every cell is there, in order, row by row.
    for n, row in enumerate([["主城", "多雲轉小雨，局部中雨"], ["萬州", "陰有小雨，午後轉多雲"],
                             ["涪陵", "小雨（夜間有霧）"], ["黔江", "雨夾雪，山區有積雪"]]):
        text = "".join(r.text for r in sorted((r for r in lines if r.source.paragraph == n),
                                              key=lambda r: (round(r.glyphs[0].left), r.glyphs[0].y)))
        assert text.startswith(row[0] + row[1]), text
    notes = [r.text for r in frame.items if isinstance(r, GlyphRun) and r.source.kind == "table-note"]
    assert "".join(notes) == "註：“～”前後為最低、最高氣溫。來源：市氣象台"


def test_rules_and_the_alternate_row_tint_within_the_profiles_limit(tmp_path):
    """Rules above and below the header and under the last row; row rules only when asked; the
    template's tint for alternate rows held to the print profile's limit for tints under text."""
    from layout.diagnostics import Diagnostics
    from layout.fonts.catalog import FontCatalog
    from layout.frames import Box
    from layout.model.load import load_edition
    from layout.paginate.context import Context
    from layout.paginate.edition import paginate
    from layout.paginate.typeset import TextSetter
    from layout.printprofile import load_profile
    from layout.template import load_template

    template = load_template("broadsheet", {"tables": {"default": {"tint": [0, 0, 0, 50]}}})
    catalog = FontCatalog.from_config(template.fonts, base_dir=None)
    setter = TextSetter({role: catalog.chain(role) for role in template.fonts}, template.composition)
    table = LEAGUE.replace("style: results", "style: results\n  tint: true\n  row_rules: true")
    path = write_edition(tmp_path, table, "- table: league\n  at: {col: 1, line: 1, cols: 3, lines: 20}")
    edition = load_edition(path, grid=(8, 105))
    ctx = Context(edition, template, setter, Diagnostics(), profile=load_profile("newsprint", {"text_tint_max_pct": 20}))
    frame = paginate(ctx).pages[0].frame
    tints = [b for b in frame.items if isinstance(b, Box) and b.source.kind == "table-tint"]
    assert [b.source.paragraph for b in tints] == [1, 3, 5]
    assert all(b.fill.total == 20 and b.fill.is_k_only for b in tints)
    rules = sorted((r for r in frame.items if isinstance(r, Rule) and r.source.kind == "table-rule"),
                   key=lambda r: r.y0)
    widths = [r.width for r in rules]
    # top 1 pt, under the header 0.5 pt, then between rows (0.25, one of them the group rule), bottom 0.5 pt
    assert widths[:2] == [1.0, 0.5] and widths[-1] == 0.5 and widths[2:-1] == [0.25] * 5
