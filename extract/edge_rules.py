"""Rules for the body's edges, as data: credits and bylines, reporters' initials, the tail and
head rules (footers, invitations, kicker labels), the dateline, pagination links.

Like :mod:`extract.rules`, generic rules only; per-outlet quirks go in the outlet's ``extract:``
options (SiteOptions).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .rules import _rx

__all__ = [
    "CREDIT_ROLES",
    "ABBREVIATED_ROLES",
    "CREDIT_LINE_STARTS",
    "BYLINE_LINE",
    "TRAILING_ROLE",
    "credit_kind",
    "credit_kinds",
    "TRAILING_INITIALS",
    "TailRule",
    "TAIL_RULES",
    "HEAD_RULES",
    "WIDGET_HEADING",
    "TRAILING_FOOTER",
    "BRAND_TOKEN",
    "DATELINE",
    "DATELINE_CITIES",
    "DATELINE_COLON",
    "DATELINE_NO_DASH",
    "DATELINE_WORD_HYPHENS",
    "PAGINATION_LINK_TEXT",
    "PAYWALL_LINE",
    "SINGLE_PAGE_LINK_TEXT",
]

# Credit role words and what they credit: "author" (the writers), "editor", or "other"
# (photographers, video, sources: credited, but neither writer nor editor). Ordered data; a
# multi-word role comes before its first word.
CREDIT_ROLES: dict[str, str] = {
    "laporan wartawan": "author", "laporan reporter": "author", "ditulis oleh": "author",
    "written by": "author", "posted by": "author", "diposting oleh": "author",
    "penulis": "author", "reporter": "author", "wartawan": "author", "pewarta": "author",
    "kontributor": "author", "koresponden": "author", "jurnalis": "author", "oleh": "author",
    "by": "author", "writer": "author", "author": "author", "laporan": "author",
    "editor": "editor", "penyunting": "editor", "redaktur": "editor", "editing": "editor",
    "fotografer": "other", "photographer": "other", "pewarta foto": "other", "foto": "other",
    "videografer": "other", "video": "other", "sumber": "other", "kredit": "other",
    "grafis": "other", "ilustrasi": "other", "penerjemah": "other", "translator": "other",
}  # fmt: skip
# Abbreviated roles, credits only when a colon follows ("Rep: Mutia Ramadhani/ Red: Yudha
# Manggala"): Indonesian newsrooms shorten reporter and redaktur so; "Red Sparks" is no credit.
ABBREVIATED_ROLES: dict[str, str] = {"rep": "author", "red": "editor"}
_ROLE_ALTERNATION = "|".join(
    re.escape(r).replace(r"\ ", r"\s+") for r in sorted(CREDIT_ROLES, key=len, reverse=True)
)
_ABBREVIATION_ALTERNATION = "|".join(rf"{a}(?=\s*[:：])" for a in ABBREVIATED_ROLES)
# Texts a credit line may start with (for the metadata reader's search of the page).
CREDIT_LINE_STARTS: tuple[str, ...] = (
    "Penulis", "PENULIS", "Reporter", "REPORTER", "Pewarta", "PEWARTA", "Oleh", "OLEH",
    "Laporan", "Wartawan", "Ditulis oleh", "Editor", "EDITOR", "Penyunting", "Redaktur",
    "Jurnalis", "Kontributor", "Posted by", "Diposting oleh", "Written by", "Rep:", "Red:",
    "Rep :", "Red :",
)  # fmt: skip
# A byline line in the body. Group "role" says what follows; "names" holds the name(s).
BYLINE_LINE = _rx(
    r"^\W{0,2}(?P<role>(?:" + _ROLE_ALTERNATION + r")(?:\s*(?:&|/|dan|and)\s*(?:"
    + _ROLE_ALTERNATION + "))*|" + _ABBREVIATION_ALTERNATION + r")\b\s*[:：,]?\s*"
    r"(?P<names>[^\n]{2,120})$"
)
# A credit with its role after the name: "Dewi Kania Jurnalis", "Ahmad (Editor)".
TRAILING_ROLE = _rx(
    r"^(?P<names>[^:：]{2,80}?)\s*[(\[]?(?P<role>" + _ROLE_ALTERNATION + r")[)\]]?$"
)


_ROLE_JOINER = re.compile(r"\s*(?:&|/|\bdan\b|\band\b)\s*")


def credit_kinds(role: str) -> tuple[str, ...]:
    """What a role word as written credits: ("author",), ("editor",) or ("other",); a joint
    role credits each of its kinds ("Redaktur & Reporter": ("author", "editor"))."""
    role = " ".join(role.lower().split())
    kind = CREDIT_ROLES.get(role) or ABBREVIATED_ROLES.get(role)
    if kind:
        return (kind,)
    kinds = {CREDIT_ROLES.get(part) for part in _ROLE_JOINER.split(role)}
    joint = tuple(k for k in ("author", "editor") if k in kinds)
    return joint or ("other",)


def credit_kind(role: str) -> str:
    """'author', 'editor' or 'other' for a role word as written ("Laporan  Wartawan"); a joint
    role gives its first kind (see :func:`credit_kinds`)."""
    return credit_kinds(role)[0]


# Editor initials at the very end of the last paragraph, in the forms Indonesian outlets use:
# "(rts/ip)", "(fyk/ash)", "(Cas/Isk)", "(kpl/sry)", "(boy/jpnn)", "(mdk/ank)", "(ant)",
# "(H-4)", "(*)". The first part starts with a letter, so "(23/2)" (a date) is no initials.
TRAILING_INITIALS = re.compile(
    r"\s*[(\[](?:[a-z][a-z0-9]{0,6}\*?(?:\s*[/,]\s*[a-z0-9]{1,8}\*?)+|[a-z]{2,5}|"
    r"[a-z]{1,3}-\d{1,3}|\*+)[)\]]\s*$",
    re.I,
)


@dataclass(frozen=True)
class TailRule:  # also used for the head: see HEAD_RULES
    """A line that, standing after the article's last paragraph, is not part of the article.

    Applied from the end of the body backwards: such lines are dropped until a line matches
    none of the rules. Only the tail is tested, so a short subheading inside the body stays.
    """

    name: str
    pattern: re.Pattern[str]


_NAME_WORD = r"[A-ZÀ-Þ][\w'’.-]*"
# Ordered. Each rule says why such a line at the end of the body is not the article.
TAIL_RULES: tuple[TailRule, ...] = (
    # "(Cas/Isk)" alone on its line: the editor initials that close an article
    TailRule("initials", re.compile(r"^\W*" + TRAILING_INITIALS.pattern.strip(r"\s*") , re.I)),
    # "#Changemaker", "#ChangeMaker with FIMELA": the outlet's campaign hashtag
    TailRule("hashtag", _rx(r"^#\w+(?:\s+\S+){0,4}$")),
    # calls to action: "Simak Lifestyle Populer Lainnya", "Yuk, Simak Juga Video ini!",
    # "Saksikan video pilihan di bawah ini", "Yuk daftarkan mereka sebagai Sosok Merdeka!"
    TailRule(
        "invitation",
        _rx(
            r"^(?=.{0,300}$)(?:\W*(?:simak|saksikan|tonton|dapatkan|ikuti|daftarkan|jangan lupa|"
            r"jangan lewatkan|download|unduh|klik)\b|.*\b(?:yuk|ayo)\W+(?:simak|daftar\w*|baca|"
            r"tonton|cek|ikuti|download|unduh|kunjungi|klik|lihat)\b)"
        ),
    ),
    # "detikcom, All Rights Reserved · Redaksi · Pedoman Media Siber", "Hak Cipta ©"
    TailRule(
        "footer",
        _rx(
            r"all rights reserved|hak cipta|pedoman media siber|copyright|©|kode etik|"
            r"redaksi\s*[·|:]|\[at\]|^(?=(?:\S+\s+){0,7}\S+$).*\b(?:iklan|advertising|"
            r"hubungi kami|contact us)\b"
        ),
    ),
    # "SolusiUKM · Iklan Baris · Blog · Forum": a menu of links
    TailRule("menu", _rx(r"^(?:[^·|•]{1,40}\s[·|•]\s){2,}[^·|•]{1,40}$")),
    # "USD 13396.00 13262.00", "Mata uang Jual Beli", "Last Update : …": a rates widget
    TailRule(
        "widget",
        _rx(r"^(?:[A-Z]{3}\s+[\d.,]+(?:\s+[\d.,]+)*|mata uang\b.*|last update\b.*|kurs\b.*)$"),
    ),
    # "DINI TEJA", "Mohamad Amin Madani", "ANTARA": a reporter's or agency's signature
    TailRule(
        "signature",
        re.compile(
            r"^(?:(?:" + _NAME_WORD + r"\s+){1,3}" + _NAME_WORD + r"|[A-Z]{3,}(?:\.[A-Z]+)*)$"
        ),
    ),
    # "Liputan6.com", "KOMPAS.com": the outlet's name alone, closing a credits box
    TailRule("site_name", _rx(r"^\W*[a-z][\w-]*(?:\.[a-z]{2,6})+\W*$")),
    # "Write to Al Root at allen.root@dowjones.com", "Have a tip? … may be reached at …"
    TailRule(
        "reach_the_writer",
        _rx(
            r"^(?=.{0,300}$)(?:\W*(?:write to|email|e-mail|contact|hubungi)\b.{0,60}\bat\b|"
            r".*\b(?:may|can) be reached at\b|\W*have a (?:news )?tip\b)"
        ),
    ),
    # "KONTAK: info@…": a press release's contact line
    TailRule("contact", _rx(r"^\W*(?:kontak|contact|e-?mail|telp?)\s*:.{0,120}@.{0,120}$")),
    # "Send us a tip at news@…", "Kirimkan berita Anda ke redaksi@…": an invitation to readers
    TailRule(
        "tip_line",
        _rx(
            r"^(?=.{0,200}$)(?=.*[\w.-]+@[\w-]+\.\w)(?=.*\b(?:send us|email us|e-mail us|tips?|"
            r"kirim\w*|hubungi|contact us|reach us)\b).*$"
        ),
    ),
    # "Daftarkan", "MustRead", "close", "Baca Selanjutnya:": buttons and labels (interface
    # words, a camel-cased button name, or a label ending in a colon)
    TailRule(
        "label",
        re.compile(
            r"^(?=\W*(?:\w+\W*){1,3}$)(?!.*\d)\W*(?:(?i:(?:daftar\w*|close|tutup|kredit|credit|"
            r"photographer|fotografer|selengkapnya|lainnya|bagikan|share|komentar|kembali|"
            r"berikutnya|sebelumnya|next|previous|back to top|load more|muat lainnya|"
            r"baca selanjutnya)\b.*)|[a-z]+[A-Z]\w*|[A-Z][a-z]+[A-Z]\w*|.*[:：])\W*$"
        ),
    ),
)
# Lines before the article's first paragraph that are not the article: a kicker or rubric
# label ("FotoBisnis", "EKSKLUSIF") standing alone. Applied from the start while they match.
HEAD_RULES: tuple[TailRule, ...] = (
    TailRule("kicker", re.compile(r"^(?!\d+[.)])\W*(?:[\w-]+\W*){1,2}(?<![.!?:\"”])$")),
)
# The heading of a box of other stories above the article ("HEADLINE HARI INI", "Terpopuler",
# "Berita Terkini"): it goes, with the headline-like lines (no closing full stop) after it.
WIDGET_HEADING = _rx(
    r"^\W*(?:headlines?(?: hari ini| news)?|terpopuler|populer|trending(?: topic)?|"
    r"berita (?:terkini|terbaru|populer|pilihan)|breaking news|pilihan editor|editor'?s choice|"
    r"most (?:read|popular)|top stories|baca juga|berita terkait)\W*$"
)
# Footers glued to the end of the last paragraph ("… Artikel ini telah tayang di Kompas.com").
TRAILING_FOOTER = _rx(
    r"\s*(?:artikel ini (?:telah|sudah)\s+(?:tayang|terbit|dimuat|diterbitkan|ditayangkan|naik)"
    r"|baca (?:juga|berita)\s*[:：]|simak (?:video|juga)\s*[:：]).*$"
)

# The outlet-brand part of a dateline: "KOMPAS.com", "IPHEDIA.com", "(ANTARA)", "Liputan6.com",
# "TEMPO.CO", "CNN Indonesia", "REPUBLIKA.CO.ID", "(ANTARA News)".
BRAND_TOKEN = _rx(
    r"^(?:\(.*\)|[\w-]+(?:\.[a-z]{2,6})+|[\w-]+\.(?:com|co|id|net|org|news|tv|news)\b.*|"
    r"cnn indonesia|antara(?: news)?|detik\w*|kompas\w*|tribun\w*|okezone|liputan6|"
    r"tempo|viva|republika|suara|merdeka|jpnn|antaranews|beritasatu|kumparan|idn times)$"
)

# Leading dateline: a short prefix (place and/or brand) followed by a dash.
DATELINE = re.compile(r"^(?P<prefix>[A-Za-zÀ-ÿ0-9.,'’()\s/&|-]{2,70}?)\s*(?:--|[-–—]+)\s*(?=\S|$)")
# The same, where a hyphen inside a word is no dash: "TRIBUN-TIMUR.COM, MAKASSAR - …" and
# "POS-KUPANG.COM, KUPANG - …" name the outlet with a hyphen; tried first, so that only a
# dateline without any other dash ("MAKASSAR-Pemerintah …") is cut at an in-word hyphen.
DATELINE_WORD_HYPHENS = re.compile(
    r"^(?P<prefix>[A-Za-zÀ-ÿ0-9.,'’()\s/&|-]{2,70}?)\s*(?:--|[–—]+|(?<!\w)-+|-+(?!\w))\s*(?=\S|$)"
)
# A dateline whose dash the page draws with CSS, so the text has none: "Liputan6.com, Jakarta
# Sebagai umat …", "Fimela.com, Jakarta Pria Libra …". Only with the outlet's domain-style
# brand first (a bare "Jakarta Sebagai" would be ambiguous) and one place word.
DATELINE_NO_DASH = re.compile(
    r"^(?P<brand>[A-Za-z][\w-]*\.(?:com|co\.id|co|id|net|tv|news))\s*,\s*"
    r"(?P<place>[A-Z][A-Za-z]{2,20})\s+(?=[A-Z0-9\"“'‘])"
)
# A dateline closed by a colon, as Medcom, Metro TV and Malaysian-style copy write it:
# "Jakarta: Menteri Keuangan ...", "KUALA LUMPUR: ...". In the first paragraph only, before a
# sentence; the place in capitals, or one of the cities below ("Anies: ..." is a quote).
DATELINE_COLON = re.compile(
    r"^(?P<place>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2})\s*:\s+(?=[A-Z0-9\"“'‘])"
    r"(?P<rest>.{80,})$",
    re.S,
)
# cities that head Indonesian datelines: the provinces' capitals and the larger cities
DATELINE_CITIES = frozenset(
    "jakarta, bandung, surabaya, semarang, yogyakarta, medan, makassar, palembang, denpasar, "
    "banda aceh, padang, pekanbaru, jambi, bengkulu, bandar lampung, pangkalpinang, "
    "tanjungpinang, batam, serang, pontianak, palangka raya, banjarmasin, samarinda, "
    "balikpapan, tanjung selor, manado, gorontalo, palu, mamuju, kendari, ambon, sofifi, "
    "ternate, jayapura, manokwari, sorong, merauke, nabire, kupang, mataram, bogor, depok, "
    "bekasi, tangerang, malang, solo, surakarta, cirebon, tasikmalaya, sukabumi, kediri, jember, "
    "banyuwangi, madiun, tegal, pekalongan, purwokerto, magelang, sleman, bantul, lhokseumawe, "
    "pematangsiantar, binjai, dumai, bukittinggi, singkawang, tarakan, bontang, parepare, "
    "palopo, bitung, bima, labuan bajo".split(", ")
)
# A paywall's box after the article's preview: "Berlangganan untuk membaca artikel
# selengkapnya", "Artikel ini khusus untuk pelanggan", "Subscribe to continue reading". It ends
# the body: what follows is the box, and the article itself is not on the page.
PAYWALL_LINE = _rx(
    r"^\W*(?:berlangganan\s+(?:sekarang\s+)?untuk\s+(?:membaca|melanjutkan|mengakses)|"
    r"(?:artikel|konten|berita|tulisan)\s+ini\s+(?:khusus|hanya|eksklusif)\s+(?:untuk|bagi)\s+"
    r"(?:pelanggan|member|anggota|pengguna premium)|sudah\s+berlangganan\s*\?|"
    r"untuk\s+membaca\s+(?:artikel|berita)\s+(?:ini\s+)?selengkapnya,?\s+(?:silakan\s+)?"
    r"(?:berlangganan|masuk|login|daftar)|subscribe\s+(?:now\s+)?to\s+(?:continue|keep)\s+"
    r"reading|this\s+(?:article|story|content)\s+is\s+(?:only\s+)?(?:for|available\s+to)\s+"
    r"(?:subscribers|members)|already\s+a\s+subscriber\s*\?)"
)
# Link texts that point to the next page or the single-page view of an article.
PAGINATION_LINK_TEXT = _rx(
    r"^\W*(?:halaman selanjutnya|selanjutnya|berikutnya|next|next page|lanjut|›|»|>)\W*$"
)
SINGLE_PAGE_LINK_TEXT = _rx(
    r"^\W*(?:tampilkan semua|lihat semua|baca (?:dalam )?(?:satu|1) halaman|"
    r"single page|show all|view all|semua halaman|baca selengkapnya dalam satu halaman)\W*$"
)
