"""Indonesian clean-up rules, as data.

Three ordered tables, each entry named so that tests and logs can refer to it:

* ``PRUNE_RULES``: elements removed from the HTML before trafilatura reads the body
  (share bars, related links, captions, ad slots, tag lists, comment forms, embeds).
* ``LINE_RULES``: body lines (paragraphs) that are dropped whole, or trimmed, after extraction.
* the meta tags each metadata field is read from, in order of trust.

The rules for the body's edges (credits, initials, tail and head rules, datelines, pagination
links) are in :mod:`extract.edge_rules`.

Generic rules only: per-outlet quirks go in the outlet's ``extract:`` options (SiteOptions).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "PRUNE_RULES",
    "PruneRule",
    "LINE_RULES",
    "LineRule",
]


# Where each metadata field is read, in order of trust: meta tag names (lower case, the
# `property`, `name` or `itemprop` of a <meta>). The readers (headline.py, canonical.py,
# credits.py, published.py, sections.py, metadata.py) try them after the outlet's own XPaths
# and JSON-LD, and before what the page shows.
SITE_NAME_META: tuple[str, ...] = ("og:site_name", "application-name", "al:android:app_name")
TITLE_META: tuple[str, ...] = ("og:title", "twitter:title")
CANONICAL_META: tuple[str, ...] = ("og:url",)
AUTHOR_META: tuple[str, ...] = (
    "author", "article:author", "dc.creator", "parsely-author", "content_author", "dtk:author",
    "twitter:creator",
)  # fmt: skip
PUBLISHED_META: tuple[str, ...] = (
    "article:published_time", "og:published_time", "datepublished", "publishdate",
    "dtk:publishdate", "content_publisheddate", "pubdate", "publish-date", "publish_date",
    "dc.date.issued", "dcterms.created", "sailthru.date", "parsely-pub-date",
    "article_date_original", "date", "dc.date", "tanggal",
)  # fmt: skip
MODIFIED_META: tuple[str, ...] = (
    "article:modified_time", "og:updated_time", "datemodified", "lastmod", "last-modified",
    "dcterms.modified", "updatedate", "dtk:updatedate",
)  # fmt: skip
SECTION_META: tuple[str, ...] = ("article:section",)
DESCRIPTION_META: tuple[str, ...] = ("og:description", "description", "twitter:description")
LANGUAGE_META: tuple[str, ...] = ("content-language", "language", "og:locale", "dc.language")


@dataclass(frozen=True)
class PruneRule:
    """Elements removed before body extraction.

    An element matches when one of its class names or its id contains one of ``words`` as whole
    dash/underscore-separated parts ("sharing" matches "td-post-sharing", not "oversharing";
    "baca-juga" matches "box-baca-juga"), or when its tag is in ``tags``. ``max_chars`` limits
    the rule to elements with at most that much text (for bylines and date lines).
    """

    name: str
    words: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    max_chars: int | None = None


# Ordered. Metadata is read first, from the untouched page, so bylines and tag lists removed here
# still feed `authors` and `tags`. Embedded tweets stay: their text is a quotation the article
# shows (as in the AEB gold standard); Instagram/TikTok embeds are widget chrome and go.
PRUNE_RULES: tuple[PruneRule, ...] = (
    PruneRule("captions", ("caption", "wp-caption-text", "keterangan-foto", "photo-credit",
                           "foto-credit", "img-caption"), ("figcaption",)),
    PruneRule("read_also_boxes", ("baca-juga", "bacajuga", "read-also", "readalso", "related",
                                  "terkait", "artikel-terkait", "berita-terkait", "inline-link",
                                  "box-lain", "also-read", "more-stories")),
    PruneRule("share_bars", ("share", "shares", "sharing", "social", "sosmed", "share-buttons",
                             "sharedaddy", "addthis", "a2a")),
    PruneRule("ad_slots", ("ad", "ads", "adsbygoogle", "advertisement", "advert", "iklan",
                           "ad-slot", "adslot", "gpt-ad", "div-gpt-ad", "banner-iklan",
                           "parallax-ads", "sponsored")),
    PruneRule("tag_lists", ("tags", "tag-list", "taglist", "tag-cloud", "tagcloud", "post-tags",
                            "td-tags", "topik", "topics", "keywords")),
    PruneRule("bylines", ("byline", "author", "penulis", "reporter", "editor", "credit",
                          "writer"), max_chars=200),
    PruneRule("dates", ("date", "post-date", "entry-date", "datetime", "published", "timestamp",
                        "tanggal", "waktu"), max_chars=120),
    PruneRule("comments", ("comment", "comments", "komentar", "disqus", "respond",
                           "comment-respond")),
    PruneRule("newsletter", ("newsletter", "subscribe", "subscription", "langganan",
                             "google-news", "gnews", "whatsapp-channel")),
    PruneRule("breadcrumbs", ("breadcrumb", "breadcrumbs")),
    PruneRule("pagination", ("pagination", "paging", "page-nav", "halaman", "pages-nav")),
    PruneRule("embeds", ("instagram-media", "tiktok-embed", "twitter-video"), ("iframe", "video")),
    PruneRule("scripts", (), ("noscript", "template")),
)  # fmt: skip


@dataclass(frozen=True)
class LineRule:
    """A body-line rule: ``drop`` removes the whole line, ``cut`` removes the matched part."""

    name: str
    pattern: re.Pattern[str]
    action: str = "drop"  # "drop" | "cut"


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


_DAY = (
    r"(?:(?:senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|ahad|monday|tuesday|"
    r"wednesday|thursday|friday|saturday|sunday)\s*,?\s*)?"
)
_DATE = r"\d{1,2}(?:\s+[a-z]{3,9}\.?,?\s+|\s*[/.-]\s*\d{1,2}\s*[/.-]\s*)\d{4}"
_CLOCK = r"(?:\s*[,|\-–]?\s*(?:pukul\s*)?\d{1,2}[:.]\d{2}(?:\s*(?:wib|wita|wit))?)?"
_PAREN_PHOTO = (
    r"\((?:foto|photo|ilustrasi|gambar|dok(?:umentasi)?\.?|istimewa|sumber)\b[^()]{0,160}\)"
)

# Ordered; applied to each line (after whitespace normalisation).
LINE_RULES: tuple[LineRule, ...] = (
    LineRule(
        "read_also",
        _rx(
            r"^\W{0,3}(?:baca|simak|lihat|tonton|cek|klik)\s+(?:juga|pula|selengkapnya|berita"
            r"(?:\s+\w+)?|artikel\s+(?:terkait|lainnya)|video)\b(?:\s*[:：\-–—].{0,200}|.{0,90})$"
        ),
    ),
    # the English forms: "READ MORE: China plague outbreak confirmed", "SEE MORE: …"
    LineRule(
        "read_also_en",
        _rx(
            r"^\W{0,3}(?:read more|see more|read also|also read|related|more on this)\s*[:：]"
            r".{3,200}$"
        ),
    ),
    # a CMS shortcode printed as text: "[button link=… ] Send us YOUR kit review[/button]"
    LineRule("shortcode", _rx(r"^\[(\w+)\b[^\]]{0,300}\].{0,200}\[/\1\]\W*$")),
    LineRule(
        "read_also_inline",
        _rx(r"^\W{0,3}(?:baca|simak|lihat|pilihan editor|rekomendasi)\s*[:：]\s*.{0,200}$"),
    ),
    LineRule(
        "ad_marker",
        _rx(
            r"^\W*(?:advertisement|iklan|ads|sponsored|scroll to continue with content|"
            r"scroll untuk melanjutkan|gulir untuk melanjutkan|lanjutkan membaca|lanjut membaca|"
            r"continue reading|loading\.*|memuat\.*|hide ads?|tutup iklan|close ads?)\W*$"
        ),
    ),
    LineRule(
        "read_also_tail",
        _rx(r"(?<=[.!?\"”])\s+(?:baca|simak|lihat)\s+(?:juga|pula)\s*[:：]\s*[^.!?]{3,160}[.!?]?$"),
        action="cut",
    ),
    LineRule("detik_embed", _rx(r"^\[gambas:.*\]$")),
    LineRule(
        "next_page",
        _rx(
            r"^\W*(?:halaman|hal\.?|page)\s*(?:selanjutnya|berikutnya|sebelumnya|next|"
            r"\d+\s*(?:dari|of|/)\s*\d+|[:：]?\s*(?:\d+\s*)+)\W*$|"
            r"^\W*(?:selanjutnya|berikutnya|lihat semua|tampilkan semua|"
            r"show all|next page|previous page)\W*$"
        ),
    ),
    LineRule(
        "photo_caption",
        _rx(r"^\W{0,2}(?:foto|photo|ilustrasi|gambar|sumber foto|video)\s*[:：].{0,250}$"),
    ),
    LineRule("photo_caption_paren", _rx(r"^.{0,250}" + _PAREN_PHOTO + r"\W*$")),
    LineRule("photo_credit_end", _rx(r"^.{10,250}\s(?:foto|photo|ilustrasi)\s*:\s*[^.:]{2,60}$")),
    LineRule(
        "share_counter",
        _rx(
            r"^\W*(?:\d+(?:[.,]\d+)?\s*[kKrb]*\s*)?(?:shares?|views?|dibaca|kali dibaca|komentar|"
            r"comments?|likes?|tweet|bagikan|share on \w+|facebook|twitter|x|whatsapp|telegram|"
            r"line|pinterest|linkedin|email|copy link|salin tautan|salin link|"
            r"print|cetak)?\s*(?:\d+(?:[.,]\d+)?\s*[kKrb]*)?\W*$"
        ),
    ),
    LineRule(
        "comment_form",
        _rx(
            r"^(?=.{0,140}$)(?:leave a reply|tinggalkan (?:balasan|komentar)|"
            r"please enter your (?:comment|name)|"
            r"you have entered an incorrect email|buka komentar|tutup komentar|no comments|"
            r"write komentar|post a comment|posting komentar|kirim komentar|tulis komentar|"
            r"\d*\s*komentar\W*$|save my name, email|simpan nama, email|cancel reply|"
            r"batalkan balasan|komentar anda|your email address will not be published|"
            r"alamat email anda tidak akan dipublikasikan|silakan login|login untuk berkomentar)"
        ),
    ),
    LineRule(
        "ite_notice",
        _rx(
            r"^(?=.*\b(?:uu ite|undang-undang informasi dan transaksi elektronik)\b)"
            r"(?=.*\bkomentar\w*\b).*$"
        ),
    ),
    LineRule("comment_policy", _rx(r"^siapapun boleh berkomentar\b.*$")),
    # "Disclaimer : Komentar adalah tanggapan pribadi, tidak mewakili kebijakan editorial …"
    LineRule(
        "comment_disclaimer",
        _rx(
            r"^\W*(?:disclaimer\s*:|(?=.*\bkomentar\w*\b)(?=.*\b(?:tanggapan pribadi|"
            r"kebijakan (?:editorial|redaksi)|tanggung jawab (?:pribadi|penulis komentar)|sara)\b))"
            r".{0,600}$"
        ),
    ),
    LineRule(
        "navigation",
        _rx(
            r"^\W*(?:topik|topik terkait|tags?|tag terkait|label|labels|kategori|back to top|"
            r"(?:foto|video|berita|artikel|galeri) (?:terkait|lainnya|terpopuler|pilihan)|"
            r"kembali ke atas|berita terkait|artikel terkait|terpopuler|populer|"
            r"rekomendasi|pilihan editor|editor'?s pick|most read|related|related posts?|"
            r"you may also like|anda mungkin suka|baca berita lainnya|don'?t miss|must read|"
            r"jangan lewatkan|(?:pilihan|rekomendasi|berita|artikel) (?:untuk anda|untukmu|buat "
            r"kamu|untuk kamu)|recommended for you|(?:berita|artikel) pilihan|"
            r"(?:bagikan|share) (?:artikel|berita) ini|share this (?:article|story))\W*$"
        ),
    ),
    LineRule("tag_line", _rx(r"^\W*(?:tags?|topik|label|kata kunci|keywords?)\s*[:：].{0,300}$")),
    LineRule(
        "published_in_footer",
        _rx(
            r"^\W*artikel ini (?:telah|sudah)\s+"
            r"(?:tayang|terbit|dimuat|diterbitkan|ditayangkan|naik)"
            r".*$"
        ),
    ),
    LineRule(
        "newsletter_app",
        _rx(
            r"^\W*(?:ikuti|follow|gabung|bergabung|join|unduh|download|dapatkan|berlangganan|"
            r"subscribe|sign up|get|klik|yuk|ayo|jangan lewatkan|pilih saluran|"
            r"simak breaking news)\b.{0,120}"
            r"\b(?:google news|whatsapp|telegram|aplikasi|app|apps|newsletter|notifikasi|channel|"
            r"saluran|kanal|instagram|twitter|facebook|youtube|tiktok|media sosial|medsos|"
            r"ponsel\w*|update berita|berita terkini|informasi terkini|inbox|kotak masuk)\b"
            r".{0,160}$"
        ),
    ),
    LineRule("date_stamp", _rx(r"^\W*" + _DAY + _DATE + _CLOCK + r"\W*$")),
    LineRule(
        "dated_teaser",
        _rx(
            r"^\W*"
            + _DAY
            + _DATE
            + _CLOCK
            + r"\s+(?=.{8,160}$)(?-i:[A-Z0-9\"'‘“]).*(?:\w|[?!\"'’”)])$"
        ),
    ),
    LineRule(
        "copyright",
        _rx(
            r"^\s*(?:©|\(c\)|copyright\b|hak cipta\b).{0,200}$|"
            r"^.{0,60}for your personal,? non-commercial use only\b.{0,300}$"
        ),
    ),
    # what a form or a button says, not the article: "Thanks for signing up!", "Order Reprints"
    LineRule(
        "form_message",
        _rx(
            r"^\W*(?:thanks? (?:you )?for (?:signing up|subscribing)|thank you|sorry|"
            r"an error (?:has )?occurred.{0,60}|there was an error processing your .{0,30}|"
            r"keep an eye on your inbox.{0,80}|this article has been sent to.{0,60}|"
            r"order reprints|print article|terima kasih (?:telah|sudah) (?:berlangganan|mendaftar)"
            r".{0,60})\W*$"
        ),
    ),
    # a teaser with its view counter: "AADC 2 Siap Tayang April 2016 Telah dibaca 2k kali"
    LineRule("read_count", _rx(r"(?:telah\s+)?dibaca\s+[\d.,]+\s*(?:k|rb|ribu)?\s*kali\W*$")),
    # a byline's or date line's label left alone on its line: "Oleh", "Diperbarui"
    LineRule(
        "label_word",
        _rx(
            r"^\W*(?:oleh|by|diperbarui|diterbitkan|dipublikasikan|updated|published|posted|"
            r"perbesar|zoom)\W*$"
        ),
    ),
    # user-interface hints: "Klik gambar untuk perbesar", "Geser untuk melihat foto lainnya"
    LineRule(
        "ui_hint",
        _rx(
            r"^\W*(?:klik|tap|ketuk|sentuh|geser|swipe|click)\s+(?:gambar|foto|image|photo|"
            r"untuk|to)\b.{0,40}\b(?:perbesar|memperbesar|enlarge|zoom|foto lainnya|"
            r"melihat foto|view (?:the )?(?:gallery|photos?|image)|next photo)\b.{0,30}$"
        ),
    ),
    # a photo caption closed by the photographer's or agency's credit: "… (REUTERS/Danny
    # Moloshok)", "… (Indonesian Navy via AP)", "… (ANTARA FOTO/Rivan Awal Lingga)"; editor
    # initials after a wire name ("(Antara/rin)") are lower-case and do not match
    LineRule(
        "photo_credit_paren",
        re.compile(
            r"\((?:[^()]{0,60}\bvia\s+(?:AP|AFP|Reuters|REUTERS|EPA|Getty Images)|"
            r"(?:AP Photo|AP|REUTERS|Reuters|ANTARA FOTO|Antara Foto|AFP|EPA|Xinhua|"
            r"Anadolu|Getty Images)\s*/\s*[A-Z][a-z]+(?:\s+[A-Z][\w.]*)*)\)\W*$"
        ),
    ),
)
