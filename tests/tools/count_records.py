#!/usr/bin/env python3
"""Counts the records of every file in ../shared/corpora from the file's own record markers,
independently of abstriage's parsers, and compares with SOURCES.md. Used to write the
expected-count table of tests/conformance.rs; run it again when the corpora change."""
import csv, io, os, re, sys, zipfile

ROOT = next((a for a in sys.argv[1:] if not a.startswith("--")), None) or os.path.join(os.path.dirname(__file__), "../../../shared/corpora")

def text_of(path):
    raw = open(path, "rb").read()
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return raw.decode("utf-16")
    if raw[:3] == b"\xef\xbb\xbf":
        raw = raw[3:]
    try:
        t = raw.decode("utf-8")
    except UnicodeDecodeError:
        t = raw.decode("cp1252", errors="replace")
    return t.replace("\r\n", "\n").replace("\r", "\n")

def xlsx_rows(path):
    """The first worksheet's rows as lists of strings (shared and inline strings resolved)."""
    z = zipfile.ZipFile(path)
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in re.findall(r"<si>(.*?)</si>", z.read("xl/sharedStrings.xml").decode(), re.S):
            shared.append("".join(re.findall(r"<t[^>]*>(.*?)</t>", si, re.S)))
    sheet = z.read("xl/worksheets/sheet1.xml").decode()
    rows = []
    for row in re.findall(r"<row[^>]*>(.*?)</row>", sheet, re.S):
        cells = {}
        for attrs, body in re.findall(r"<c([^>]*?)(?:/>|>(.*?)</c>)", row, re.S):
            ref = re.search(r'r="([A-Z]+)\d+"', attrs)
            column = 0
            for letter in ref.group(1) if ref else "":
                column = column * 26 + ord(letter) - 64
            value = "".join(re.findall(r"<v>(.*?)</v>", body, re.S)) or "".join(re.findall(r"<t[^>]*>(.*?)</t>", body, re.S))
            if 't="s"' in attrs and value.isdigit():
                value = shared[int(value)]
            cells[column - 1 if ref else len(cells)] = value
        rows.append([cells.get(i, "") for i in range(max(cells, default=-1) + 1)])
    return rows

TITLE_COLUMNS = {"title", "articletitle", "documenttitle", "primarytitle", "titleprimary", "itemtitle", "ti"}
ABSTRACT_COLUMNS = {"abstract", "abstractnote", "ab"}

def table_rows(rows):
    """Data rows and header of a table: blank rows, Embase's preamble, a title row above the
    header and abstrackr's section line left out."""
    rows = [r for r in rows if any(c.strip() for c in r)]
    norm = lambda h: re.sub(r"[^a-z]", "", h.lower())
    start = next((i for i, r in enumerate(rows[:20]) if any(norm(c) in TITLE_COLUMNS | ABSTRACT_COLUMNS for c in r)), 0)
    header, data = rows[start], rows[start + 1:]
    data = [r for r in data if not (len(r) == 1 and r[0].startswith("citations that are not yet labeled"))]
    return [norm(h) for h in header], data

def count(path):
    if path.endswith(".xlsx"):
        return "xlsx", len(table_rows(xlsx_rows(path))[1])
    t = text_of(path)
    first = next((l for l in t.split("\n") if l.strip()), "")
    if re.search(r"(?m)^TY {1,2}-", t):
        return "ris", len(re.findall(r"(?m)^TY {1,2}-", t))
    if re.search(r"(?m)^PMID- ", t):
        return "medline", len(re.findall(r"(?m)^PMID- ", t))
    if re.search(r"(?m)^<\d+\. >", t):
        return "ovid", len(re.findall(r"(?m)^<\d+\. >", t))
    if re.search(r"(?m)^PT [A-Z]\s*$", t) and not first.startswith("PT\t"):
        return "wos", len(re.findall(r"(?m)^PT [A-Z]\s*$", t))
    if "<record>" in t:
        return "endnote-xml", t.count("<record>")
    if re.search(r"(?m)^@\w+\s*[{(]", t):
        n = len([m for m in re.findall(r"(?m)^@(\w+)\s*[{(]", t) if m.lower() not in ("string", "comment", "preamble")])
        return "bibtex", n
    if re.match(r"%[0-9A-Z@] ", first):
        groups = [g for g in re.split(r"\n\s*\n", t) if re.search(r"(?m)^%[0-9A-Z@] ", g)]
        return "endnote-tagged", len(groups)
    delim = "\t" if first.count("\t") > first.count(",") and first.count("\t") > first.count(";") else (";" if first.count(";") > first.count(",") else ",")
    return "table", len(table_rows(list(csv.reader(io.StringIO(t), delimiter=delim)))[1])

def nonempty(v):
    return bool(re.sub(r"<[^>]*>|\s", "", v or ""))

def tagged_blocks(t, start, end=None):
    """Splits tagged text into record blocks at lines matching `start` (and `end`)."""
    blocks, cur = [], None
    for line in t.split("\n"):
        if re.match(start, line):
            if cur is not None:
                blocks.append(cur)
            cur = [line]
        elif cur is not None:
            if end and re.match(end, line):
                blocks.append(cur)
                cur = None
            else:
                cur.append(line)
    if cur is not None:
        blocks.append(cur)
    return blocks

def field_values(block, tags, tag_re, cont_re):
    """Values of `tags` in a tagged record block, continuation lines included."""
    values, cur = [], None
    for line in block:
        m = re.match(tag_re, line)
        if m:
            cur = None
            if m.group(1) in tags:
                values.append(m.group(2))
                cur = len(values) - 1
        elif cur is not None and (cont_re is None or re.match(cont_re, line)) and line.strip():
            values[cur] += " " + line.strip()
    return values

def fields(path):
    """(records with a title, records with an abstract), or None when not worked out."""
    kind, _ = count(path)
    t = text_of(path) if kind != "xlsx" else ""  # noqa: workbooks are read from their XML
    def tally(blocks, title_of, abstract_of):
        return (sum(1 for b in blocks if title_of(b)), sum(1 for b in blocks if abstract_of(b)))
    if kind == "ris":
        blocks = tagged_blocks(t, r"^TY {1,2}-", r"^ER {1,2}-")
        tag, cont = r"^([A-Z][A-Z0-9]) {1,2}-\s?(.*)$", None
        has = lambda b, tags: any(nonempty(v) for v in field_values(b, tags, tag, cont))
        return tally(blocks, lambda b: has(b, {"TI", "T1", "CT", "BT", "ST"}), lambda b: has(b, {"AB", "N2"}))
    if kind == "medline":
        blocks = tagged_blocks(t, r"^PMID- ")
        tag, cont = r"^([A-Z]{1,4}) *- ?(.*)$", r"^      "
        has = lambda b, tags: any(nonempty(v) for v in field_values(b, tags, tag, cont))
        return tally(blocks, lambda b: has(b, {"TI"}), lambda b: has(b, {"AB"}))
    if kind == "wos":
        blocks = tagged_blocks(t, r"^PT ", r"^ER\s*$")
        tag, cont = r"^([A-Z][A-Z0-9]) ?(.*)$", r"^   "
        has = lambda b, tags: any(nonempty(v) for v in field_values(b, tags, tag, cont))
        return tally(blocks, lambda b: has(b, {"TI"}), lambda b: has(b, {"AB"}))
    if kind == "ovid":
        blocks = tagged_blocks(t, r"^<\d+\. >")
        tag, cont = r"^([A-Z][A-Z0-9]) {1,2}- ?(.*)$", r"^\s"
        has = lambda b, tags: any(nonempty(v) for v in field_values(b, tags, tag, cont))
        return tally(blocks, lambda b: has(b, {"TI"}), lambda b: has(b, {"AB"}))
    if kind == "endnote-tagged":
        blocks = [g.split("\n") for g in re.split(r"\n\s*\n", t) if re.search(r"(?m)^%[0-9A-Z@] ", g)]
        tag = r"^%([0-9A-Z@]) ?(.*)$"
        has = lambda b, tags: any(nonempty(v) for v in field_values(b, tags, tag, r"^[^%]"))
        return tally(blocks, lambda b: has(b, {"T"}), lambda b: has(b, {"X"}))
    if kind == "endnote-xml":
        recs = re.findall(r"<record>(.*?)</record>", t, re.S)
        title = lambda r: nonempty((re.search(r"<titles>\s*<title>(.*?)</title>", r, re.S) or [None, ""])[1])
        abstract = lambda r: nonempty((re.search(r"<abstract>(.*?)</abstract>", r, re.S) or [None, ""])[1])
        return (sum(map(title, recs)), sum(map(abstract, recs)))
    if kind == "bibtex":
        entries = [e for e in re.split(r"(?m)^@", t)[1:] if not re.match(r"(?i)(string|comment|preamble)", e)]
        has = lambda e, name: bool(re.search(r"(?im)^\s*" + name + r"\s*=\s*(\{\s*[^\s}]|\"\s*[^\s\"])", e))
        return tally(entries, lambda e: has(e, "title"), lambda e: has(e, "abstract"))
    if kind in ("table", "xlsx"):
        if kind == "xlsx":
            header, data = table_rows(xlsx_rows(path))
        else:
            first = next((l for l in t.split("\n") if l.strip()), "")
            delim = "\t" if first.count("\t") > first.count(",") and first.count("\t") > first.count(";") else (";" if first.count(";") > first.count(",") else ",")
            header, data = table_rows(list(csv.reader(io.StringIO(t), delimiter=delim)))
        pick = lambda names: next((i for i, h in enumerate(header) if h in names), None)
        ti, ab = pick(TITLE_COLUMNS), pick(ABSTRACT_COLUMNS)
        cell = lambda r, i: i is not None and i < len(r) and nonempty(r[i])
        return (sum(cell(r, ti) for r in data), sum(cell(r, ab) for r in data))
    return None

def sources_abstracts():
    table = {}
    for line in open(os.path.join(ROOT, "SOURCES.md"), encoding="utf-8"):
        m = re.match(r"\| `([^`]+)` \| [^|]* \| ([^|]*) \| (\d+)[^|]*\| (\d+) \|", line)
        if m:
            table[m.group(1)] = int(m.group(4))
    return table

def sources_counts():
    table = {}
    for line in open(os.path.join(ROOT, "SOURCES.md"), encoding="utf-8"):
        m = re.match(r"\| `([^`]+)` \| [^|]* \| ([^|]*) \| (\d+)[^|]*\|", line)
        if m:
            table[m.group(1)] = int(m.group(3))
    return table

if __name__ == "__main__":
    listed = sources_counts()
    abstracts = sources_abstracts()
    if "--rust" in sys.argv:
        for dirpath, _, files in sorted(os.walk(ROOT)):
            for f in sorted(files):
                if f == "SOURCES.md":
                    continue
                p = os.path.join(dirpath, f)
                rel = os.path.relpath(p, ROOT)
                kind, n = count(p)
                titled, with_abstract = fields(p) or (0, 0)
                print(f'    ("{rel}", "{kind}", {n}, {titled}, {with_abstract}),')
        sys.exit(0)
    for dirpath, _, files in os.walk(ROOT):
        for f in sorted(files):
            if f == "SOURCES.md":
                continue
            p = os.path.join(dirpath, f)
            rel = os.path.relpath(p, ROOT)
            kind, n = count(p)
            note = "" if listed.get(rel) in (None, n) else f"  # SOURCES.md says {listed[rel]}"
            f_ = fields(p)
            if f_ and rel in abstracts and abstracts[rel] != f_[1]:
                note += f"  # abstracts: {f_[1]}, SOURCES.md says {abstracts[rel]}"
            print(f"{n:6} {f_}  {kind:15} {rel}{note}")
