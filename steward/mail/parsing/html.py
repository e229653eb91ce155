"""HTML from mail: sanitise it for the timeline (nh3) and turn it into plain text.

The text converter reads nh3's output rather than the sender's HTML: that output is
well-formed and normalised (no comments, scripts or unquoted attributes, `<` and `>` escaped
inside attribute values), so a linear regex tokenizer is enough, and it is several times
faster than an HTMLParser-based converter such as html2text, which also leaves Markdown
escapes in the text.
"""

import html as htmllib
import re

import nh3

_TAGS = (nh3.ALLOWED_TAGS | {"font", "center", "tfoot"}) - {"map", "area"}
_ATTRIBUTES = {tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()}
_ATTRIBUTES["*"] = {"style", "align", "valign", "dir", "title", "lang", "bgcolor", "width", "height"}
_ATTRIBUTES["a"] = {"href", "title"}
_ATTRIBUTES["img"] = {"src", "alt", "width", "height", "title", "border", "align"}
_ATTRIBUTES["font"] = {"color", "face", "size"}
_ATTRIBUTES["table"] = set(_ATTRIBUTES.get("table", ())) | {"border", "cellpadding", "cellspacing"}
_SCHEMES = {"http", "https", "mailto", "tel", "cid", "data"}
# No background/url-bearing properties and nothing that can escape the message's box.
_STYLE_PROPERTIES = {
    "color", "background-color", "font", "font-family", "font-size", "font-style", "font-weight",
    "text-align", "text-decoration", "text-indent", "text-transform", "line-height",
    "letter-spacing", "white-space", "vertical-align", "direction", "margin", "margin-top",
    "margin-bottom", "margin-left", "margin-right", "padding", "padding-top", "padding-bottom",
    "padding-left", "padding-right", "border", "border-top", "border-bottom", "border-left",
    "border-right", "border-color", "border-style", "border-width", "border-collapse",
    "border-spacing", "width", "height", "max-width", "min-width", "list-style-type",
    "display",
}
_UNSAFE_STYLE = re.compile(r"url\s*\(|expression|@import|javascript:|\\", re.IGNORECASE)
_SAFE_DATA_IMAGE = re.compile(r"data:image/(png|gif|jpeg|jpg|webp|bmp);", re.IGNORECASE)
_IMG_TAG = re.compile(r"<img\b[^>]*>")
_REMOTE_SRC = re.compile(r'\ssrc="(?!cid:|data:)')
_CID = re.compile(r"""cid:([^"'\s>)]+)""", re.IGNORECASE)


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "style":
        return None if _UNSAFE_STYLE.search(value) else value
    lowered = value.strip().lower()
    if lowered.startswith("data:") and not (tag == "img" and _SAFE_DATA_IMAGE.match(lowered)):
        return None
    if lowered.startswith("cid:") and tag != "img":
        return None
    return value


def sanitize(html: str) -> str:
    """Safe HTML for the timeline: no scripts, handlers or CSS urls; remote images inert."""
    if not html:
        return ""
    cleaned = nh3.clean(
        html,
        tags=_TAGS,
        clean_content_tags={"script", "style", "title", "head", "noscript", "template", "textarea", "select", "svg", "math", "iframe", "object"},
        attributes=_ATTRIBUTES,
        attribute_filter=_filter_attribute,
        url_schemes=_SCHEMES,
        filter_style_properties=_STYLE_PROPERTIES,
        link_rel="noopener noreferrer nofollow",
        set_tag_attribute_values={"a": {"target": "_blank"}},
    )
    # Remote images would tell the sender the ticket was read (and from where): the UI
    # turns data-remote-src back into src only when the technician asks to load them.
    return _IMG_TAG.sub(lambda m: _REMOTE_SRC.sub(' data-remote-src="', m.group()), cleaned)


def referenced_cids(html: str) -> set[str]:
    from urllib.parse import unquote

    return {unquote(cid).strip("<>").lower() for cid in _CID.findall(html)}


_TOKEN = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>|([^<]+)")
_HREF = re.compile(r'\shref="([^"]*)"')
_HIDDEN = re.compile(r"display\s*:\s*none", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0\u200b]+")
_BLOCK = {
    "address", "article", "aside", "center", "dd", "details", "div", "dl", "dt", "figcaption",
    "figure", "footer", "header", "hgroup", "nav", "section", "summary", "table", "thead",
    "tbody", "tfoot", "caption",
}
_PARAGRAPH = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "pre", "blockquote", "hr"}
_VOID = {"br", "img", "hr", "wbr", "col"}


class _TextWriter:
    def __init__(self):
        self.lines: list[tuple[int, str]] = []
        self.current: list[str] = []
        self.depth = 0
        self.line_depth = 0

    def write(self, text: str) -> None:
        if not self.current:
            self.line_depth = self.depth
            text = text.lstrip(" ")
            if not text:
                return
        self.current.append(text)

    def newline(self) -> None:
        line = "".join(self.current).rstrip()
        self.lines.append((self.line_depth if self.current else self.depth, line))
        self.current = []

    def end_line(self) -> None:
        if self.current:
            self.newline()

    def blank_line(self) -> None:
        self.end_line()
        if self.lines and self.lines[-1][1]:
            self.lines.append((self.depth, ""))

    def text(self) -> str:
        self.end_line()
        out = []
        previous_blank = True
        for depth, line in self.lines:
            if not line and previous_blank:
                continue
            previous_blank = not line
            prefix = "> " * depth if depth else ""
            out.append((prefix + line).rstrip() if line or not depth else prefix.rstrip())
        return "\n".join(out).strip("\n")


def to_text(safe_html: str) -> str:
    """Plain text of sanitised HTML: paragraphs, line breaks, lists, `> ` for blockquotes."""
    writer = _TextWriter()
    stack: list[str] = []
    hidden_at: int | None = None
    pre = 0
    lists: list[list[int]] = []
    link: str | None = None
    link_text: list[str] = []
    for match in _TOKEN.finditer(safe_html):
        closing, tag, attrs, text = match.groups()
        if text is not None:
            if hidden_at is not None:
                continue
            text = htmllib.unescape(text)
            if pre:
                for i, part in enumerate(text.split("\n")):
                    if i:
                        writer.newline()
                    if part:
                        writer.current.append(part)
                        writer.line_depth = writer.depth
            else:
                text = _SPACES.sub(" ", text)
                if text.strip() or writer.current:
                    writer.write(text)
            if link is not None:
                link_text.append(text)
            continue
        tag = tag.lower()
        if not closing:
            if tag not in _VOID:
                stack.append(tag)
                if hidden_at is None and "style=" in attrs and _HIDDEN.search(attrs):
                    hidden_at = len(stack)
            if hidden_at is not None:
                continue
            if tag == "br":
                writer.newline()
            elif tag == "li":
                writer.end_line()
                if lists and lists[-1][0]:
                    lists[-1][1] += 1
                    writer.write(f"{lists[-1][1]}. ")
                else:
                    writer.write("- ")
            elif tag in ("ul", "ol"):
                writer.blank_line() if not lists else writer.end_line()
                lists.append([tag == "ol", 0])
            elif tag == "blockquote":
                writer.blank_line()
                writer.depth += 1
            elif tag == "pre":
                writer.blank_line()
                pre += 1
            elif tag == "hr":
                writer.blank_line()
            elif tag in _PARAGRAPH:
                writer.blank_line()
            elif tag in _BLOCK or tag == "tr":
                writer.end_line()
            elif tag in ("td", "th"):
                if writer.current:
                    writer.write(" ")
            elif tag == "a":
                href = _HREF.search(attrs)
                link = htmllib.unescape(href.group(1)) if href else None
                link_text = []
            continue
        # closing tag: pop to the matching open tag (nh3 output is balanced)
        if tag not in stack:
            continue
        while stack:
            if stack.pop() == tag:
                break
        if hidden_at is not None:
            if len(stack) < hidden_at:
                hidden_at = None
            continue
        if tag in ("ul", "ol"):
            if lists:
                lists.pop()
            writer.blank_line() if not lists else writer.end_line()
        elif tag == "blockquote":
            writer.end_line()
            writer.depth = max(0, writer.depth - 1)
            writer.blank_line()
        elif tag == "pre":
            pre = max(0, pre - 1)
            writer.blank_line()
        elif tag in _PARAGRAPH:
            writer.blank_line()
        elif tag in _BLOCK or tag in ("tr", "li"):
            writer.end_line()
        elif tag == "a" and link is not None:
            shown = "".join(link_text).strip()
            if link.startswith(("http://", "https://")) and shown and shown.rstrip("/") != link.rstrip("/"):
                writer.write(f" <{link}>")
            link = None
    return writer.text()
