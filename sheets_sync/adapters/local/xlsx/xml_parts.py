"""Pieces for editing the XML parts of an .xlsx package as text (the fast write, xml_patch.py).

A part is changed element by element and everything else is kept as Excel or LibreOffice
saved it: namespace declarations, extensions and elements the service does not know stay
byte for byte. Whatever does not look exactly as expected raises `NotHandled`, and the caller
writes with openpyxl instead.
"""

from __future__ import annotations

import posixpath
import re
import xml.parsers.expat
from dataclasses import dataclass
from xml.etree.ElementTree import fromstring

from sheets_sync.adapters.local.xlsx.errors import NotHandled

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
NS = f"{{{MAIN_NS}}}"

# A start, end or empty tag; attribute values may hold ">" inside their quotes.
TAG = re.compile(r"""<(/?)([A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?)((?:[^>"']|"[^"]*"|'[^']*')*?)(/?)>""")
ATTR = re.compile(r"""([A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_DECLARATION = re.compile(r"""\A(?:<\?xml\b[^>]*\?>)?\s*""")
_ENCODING = re.compile(r"""encoding\s*=\s*["']([^"']+)["']""")


def checked_text(data: bytes) -> str:
    """A part's text, once it is known to be well-formed UTF-8 XML without the constructs
    the text edits do not expect (comments, CDATA, a DTD)."""
    head = data[:100].decode("ascii", "replace")
    found = _ENCODING.search(head.split("?>", 1)[0]) if head.startswith("<?xml") else None
    if data.startswith(b"\xef\xbb\xbf") or (found and found.group(1).lower() not in ("utf-8",
                                                                                   "utf8")):
        raise NotHandled("not plain UTF-8")
    parser = xml.parsers.expat.ParserCreate()
    parser.Parse(data, True)  # raises ExpatError on a damaged part
    text = data.decode("utf-8")
    if "<!--" in text or "<![CDATA[" in text or "<!DOCTYPE" in text:
        raise NotHandled("comments, CDATA or a DTD")
    return text


def attrs_of(tag_attrs: str) -> dict[str, str]:
    """The attributes of a tag (the text between its name and its end), values as written."""
    out: dict[str, str] = {}
    for name, dq, sq in ATTR.findall(tag_attrs):
        out[name] = dq if dq or not sq else sq
    return out


def format_attrs(attrs: dict[str, str]) -> str:
    """Attributes as read (values already escaped), with a leading space each, in double
    quotes (a value read from single quotes may hold a double one)."""
    return "".join(f' {k}="{v.replace(chr(34), "&quot;")}"' for k, v in attrs.items())


def esc_text(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def esc_attr(s: str) -> str:
    return (esc_text(s).replace('"', "&quot;").replace("\n", "&#10;").replace("\r", "&#13;")
            .replace("\t", "&#09;"))


@dataclass
class Element:
    """One child of a part's root element, as text (`text` None: generated on output)."""

    name: str
    text: str | None


def root_tag(text: str, name: str) -> re.Match[str]:
    """The root start tag, which must be `name` in the main namespace as the default one."""
    m = TAG.match(text, _DECLARATION.match(text).end())  # type: ignore[union-attr]
    if m is None or m.group(1) or m.group(4) or m.group(2) != name:
        raise NotHandled(f"root is not <{name}>")
    if attrs_of(m.group(3)).get("xmlns") != MAIN_NS:
        raise NotHandled("not the transitional main namespace as the default")
    return m


def split_children(text: str, start: int, end: int) -> list[Element]:
    """The top-level elements between `start` and `end` (only whitespace between them)."""
    out: list[Element] = []
    depth, opened, name, pos = 0, start, "", start
    for m in TAG.finditer(text, start, end):
        if depth == 0 and text[pos:m.start()].strip():
            raise NotHandled("text between elements")
        closing, tag, empty = m.group(1), m.group(2), m.group(4)
        if depth == 0:
            if closing:
                raise NotHandled("unbalanced")
            opened, name = m.start(), tag
            if empty:
                out.append(Element(tag, text[opened:m.end()]))
            else:
                depth = 1
        elif closing:
            depth -= 1
            if depth == 0:
                if tag != name:
                    raise NotHandled("unbalanced")
                out.append(Element(name, text[opened:m.end()]))
        elif not empty:
            depth += 1
        pos = m.end()
    if depth or text[pos:end].strip():
        raise NotHandled("unbalanced or trailing text")
    return out


def prefix_for(root_attrs: dict[str, str], uri: str) -> str | None:
    for name, value in root_attrs.items():
        if name.startswith("xmlns:") and value == uri:
            return name[6:]
    return None


# ---------------------------------------------------------------------- relationships


@dataclass
class Rel:
    id: str
    type: str
    target: str
    mode: str | None = None


class Rels:
    """A relationships part, rewritten whole when changed (it holds nothing else)."""

    def __init__(self, data: bytes | None, owner: str) -> None:
        self.owner = owner  # the part the relationships belong to, e.g. xl/worksheets/sheet1.xml
        self.items: list[Rel] = []
        self.changed = False
        if data is not None:
            root = fromstring(checked_text(data))
            if root.tag != f"{{{PKG_REL_NS}}}Relationships":
                raise NotHandled("relationships")
            for r in root:
                if set(r.attrib) - {"Id", "Type", "Target", "TargetMode"}:
                    raise NotHandled("unknown relationship attribute")
                self.items.append(Rel(r.attrib["Id"], r.attrib["Type"], r.attrib["Target"],
                                      r.attrib.get("TargetMode")))

    @property
    def path(self) -> str:
        folder, name = posixpath.split(self.owner)
        return posixpath.join(folder, "_rels", name + ".rels")

    def of_type(self, suffix: str) -> list[Rel]:
        return [r for r in self.items if r.type.endswith(suffix) and r.mode != "External"]

    def get(self, rid: str) -> Rel | None:
        return next((r for r in self.items if r.id == rid), None)

    def part(self, rel: Rel) -> str:
        """The package path a relationship points at."""
        if rel.target.startswith("/"):
            return posixpath.normpath(rel.target[1:])
        return posixpath.normpath(posixpath.join(posixpath.dirname(self.owner), rel.target))

    def add(self, type_: str, target: str) -> str:
        used = {r.id for r in self.items}
        rid = next(f"rId{n}" for n in range(1, len(used) + 2) if f"rId{n}" not in used)
        self.items.append(Rel(rid, type_, target))
        self.changed = True
        return rid

    def remove(self, rid: str) -> None:
        self.items = [r for r in self.items if r.id != rid]
        self.changed = True

    def to_bytes(self) -> bytes:
        body = "".join(
            f'<Relationship Id="{esc_attr(r.id)}" Type="{esc_attr(r.type)}" '
            f'Target="{esc_attr(r.target)}"'
            + (f' TargetMode="{esc_attr(r.mode)}"' if r.mode else "") + "/>"
            for r in self.items)
        return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<Relationships xmlns="{PKG_REL_NS}">{body}</Relationships>').encode()


class ContentTypes:
    """[Content_Types].xml, rewritten whole when changed (defaults and overrides only)."""

    def __init__(self, data: bytes) -> None:
        root = fromstring(checked_text(data))
        if root.tag != f"{{{CT_NS}}}Types":
            raise NotHandled("content types")
        self.defaults: dict[str, str] = {}
        self.overrides: dict[str, str] = {}
        for el in root:
            if el.tag == f"{{{CT_NS}}}Default":
                self.defaults[el.attrib["Extension"]] = el.attrib["ContentType"]
            elif el.tag == f"{{{CT_NS}}}Override":
                self.overrides[el.attrib["PartName"]] = el.attrib["ContentType"]
            else:
                raise NotHandled("unknown content type entry")
        self.changed = False

    def declare(self, part: str, content_type: str, extension_default: bool = False) -> None:
        name = "/" + part
        ext = part.rsplit(".", 1)[-1]
        if self.overrides.get(name) == content_type:
            return
        if extension_default and name not in self.overrides:
            known = {k.lower(): v for k, v in self.defaults.items()}
            if known.get(ext.lower()) == content_type:
                return
            if ext.lower() not in known:
                self.defaults[ext] = content_type
                self.changed = True
                return
        self.overrides[name] = content_type
        self.changed = True

    def forget(self, part: str) -> None:
        if self.overrides.pop("/" + part, None) is not None:
            self.changed = True

    def to_bytes(self) -> bytes:
        body = "".join(f'<Default Extension="{esc_attr(k)}" ContentType="{esc_attr(v)}"/>'
                       for k, v in self.defaults.items())
        body += "".join(f'<Override PartName="{esc_attr(k)}" ContentType="{esc_attr(v)}"/>'
                        for k, v in self.overrides.items())
        return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<Types xmlns="{CT_NS}">{body}</Types>').encode()
