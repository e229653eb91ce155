"""The new part of a reply: cut the quoted history and the signature.

Line-based rules, each a bounded regex matched at the start of one short line, so the work
is linear in the text. The timeline shows `reply_text` and folds the rest; the full text is
always kept, so a rule that cuts too little is safe and one that cuts too much is a bug.
"""

import re

_MAX_LINES = 5000
_MAX_RULE_LINE = 400

# "On Mon, 3 Mar 2025 at 10:00, Jane <jane@example.com> wrote:" and its translations.
_ATTRIBUTION_END = re.compile(
    r"(wrote|schrieb|a écrit|escribió|escribio|schreef|ha scritto|escreveu|skrev|napisał|kirjoitti|írta)"
    r"(\s+[^:]{0,120})?\s*:\s*$",
    re.IGNORECASE,
)
_ATTRIBUTION_START = re.compile(r"^(On|Am|Le|Op|El|Il|Em|Den|På|W dniu|\d)\b", re.IGNORECASE)
# Outlook's header block that starts the quoted original ("From: ... Sent: ... To: ...").
_OUTLOOK_FROM = re.compile(r"^\*?(From|Von|De|Van|Da|Från|Fra|Od|Lähettäjä|Feladó)\s?\*?\s?:\s*\S", re.IGNORECASE)
_OUTLOOK_FIELD = re.compile(
    r"^\*?(Sent|Date|To|Cc|Subject|Gesendet|Datum|An|Betreff|Envoyé|Date|À|A|Objet|"
    r"Verzonden|Aan|Onderwerp|Enviado|Fecha|Para|Asunto|Inviato|Oggetto|Skickat|Till|Ämne|"
    r"Sendt|Til|Emne|Data|Wysłano|Do|Temat)\s?\*?\s?:",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(
    r"^\s*(-{2,}\s*(Original Message|Ursprüngliche Nachricht|Originalnachricht|Message d'origine|"
    r"Oorspronkelijk bericht|Mensaje original|Messaggio originale|Originalmeddelande|"
    r"Forwarded message|Weitergeleitete Nachricht|Message transféré|Doorgestuurd bericht|"
    r"Mensaje reenviado|Messaggio inoltrato)\s*-{2,}|"
    r"Begin forwarded message:|Anfang der weitergeleiteten Nachricht:|"
    r"Début du message réexpédié\s?:|Begin doorgestuurd bericht:|Inicio del mensaje reenviado:)\s*$",
    re.IGNORECASE,
)
_RULE = re.compile(r"^\s*([_=-])\1{9,}\s*$")
_SIGNATURE = re.compile(r"^-- ?$")
_MOBILE = re.compile(
    r"^(Sent from (my|Mail|Outlook|Yahoo)|Get Outlook for|Von meinem .{1,40} gesendet|"
    r"Gesendet (von|mit) |Envoyé de mon|Envoyé depuis|Verzonden (vanaf|met) |Enviado desde|"
    r"Inviato da|Skickat från|Sendt fra)\b.{0,80}$",
    re.IGNORECASE,
)


def _is_outlook_block(lines: list[str], start: int) -> bool:
    fields = 0
    for line in lines[start + 1 : start + 8]:
        if _OUTLOOK_FIELD.match(line.strip()):
            fields += 1
            if fields >= 2:
                return True
    return False


def _cut_index(lines: list[str]) -> int | None:
    """Index of the first line that belongs to the quoted history, or None."""
    for i, raw in enumerate(lines[:_MAX_LINES]):
        line = raw.strip()
        if not line or len(line) > _MAX_RULE_LINE:
            continue
        first = line[0]
        if first == ">":
            continue  # no rule starts at a quoted line (_strip_tail drops a trailing quote)
        if ":" not in line and first not in "-_=":
            # Prose, most lines: of the rules, only an attribution wrapped over two lines starts without a colon.
            if i + 1 < len(lines) and lines[i + 1].rstrip().endswith(":") and _ATTRIBUTION_START.match(line):
                nxt = lines[i + 1].strip()
                if len(nxt) < 200 and _ATTRIBUTION_END.search(f"{line} {nxt}"):
                    return i
            continue
        if _SEPARATOR.match(line):
            return i
        if first in "_=-" and _RULE.match(line):
            following = [n for n in lines[i + 1 : i + 3] if n.strip()]
            if following and _OUTLOOK_FROM.match(following[0].strip()):
                return i
            continue
        if _OUTLOOK_FROM.match(line) and _is_outlook_block(lines, i):
            return i
        if line.endswith(":") and not first == ">":
            if _ATTRIBUTION_END.search(line) and (_ATTRIBUTION_START.match(line) or _next_is_quote(lines, i)):
                return i
        elif i + 1 < len(lines) and _ATTRIBUTION_START.match(line) and not first == ">":
            # Attribution wrapped over two lines by the sender's client.
            nxt = lines[i + 1].strip()
            if nxt.endswith(":") and len(nxt) < 200 and _ATTRIBUTION_END.search(f"{line} {nxt}"):
                return i
    return None


def _next_is_quote(lines: list[str], i: int) -> bool:
    for line in lines[i + 1 : i + 3]:
        if line.strip():
            return line.lstrip().startswith(">")
    return False


def _strip_tail(lines: list[str]) -> list[str]:
    """Drop trailing blank lines, trailing `>` quotes, then a signature."""
    while lines and (not lines[-1].strip() or lines[-1].lstrip().startswith(">")):
        lines.pop()
    for i, line in enumerate(lines):
        if i and line.startswith("--") and _SIGNATURE.match(line.rstrip("\r")):
            lines = lines[:i]
            break
    content = []  # the last three lines with text, oldest first
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].strip():
            content.insert(0, i)
            if len(content) == 3:
                break
    first_text = next((i for i, line in enumerate(lines) if line.strip()), None)
    for i in content:
        if _MOBILE.match(lines[i].strip()) and i != first_text:
            lines = lines[:i]
            break
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def reply_text(text: str) -> str:
    """The new part of `text`: without quoted history and signature (all of it if nothing is left)."""
    if not text:
        return ""
    lines = text.split("\n")
    cut = _cut_index(lines)
    kept = _strip_tail(lines[:cut] if cut is not None else lines)
    result = "\n".join(kept).strip("\n")
    return result if result.strip() else text.strip()
