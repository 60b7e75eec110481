# ruff: noqa: E501  (HTML templates: one markup line per element keeps them readable)
"""The layouts (one function per CMS / portal style) used by make_corpus.py."""

from __future__ import annotations

from datetime import timedelta

from corpus_articles import Story
from corpus_layouts import (
    FETCHED_AT,
    OTHER_STORIES,
    Page,
    esc,
    iso,
    jsonld,
    local,
    long_date,
    news_article,
    record,
    sidebar,
    story_body,
)

HEAD = '<!DOCTYPE html>\n<html lang="id"><head><meta charset="utf-8">'


def _slug(story: Story) -> str:
    return story.title.lower().replace(",", "").replace(" ", "-").replace("%", "")[:70]


def _read_also_p(title: str) -> str:
    return f'<p><strong>Baca juga: </strong><a href="/read/x">{esc(title)}</a></p>'


# ------------------------------------------------------------------ WordPress, tagDiv Newspaper
def tagdiv(story: Story, variant: int) -> Page:
    site, host = "KabarTurki", "https://kabarturki.com"
    pub = local(story.published, 7)
    upd = local(story.updated, 7) if story.updated else pub
    url = f"{host}/{pub:%Y/%m/%d}/{_slug(story)}/"
    body = story_body(
        story,
        f"KABARTURKI.COM, {story.place.title()}- ",
        read_also=_read_also_p,
        initials=variant % 2 == 0,
    )
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "WebSite", "name": site, "url": host + "/"},
        {"@type": "BreadcrumbList", "itemListElement": [
            {"@type": "ListItem", "position": 1, "name": "Home", "item": host + "/"},
            {"@type": "ListItem", "position": 2, "name": story.section,
             "item": f"{host}/category/{story.section.lower()}/"},
            {"@type": "ListItem", "position": 3, "name": story.title}]},
        {**news_article(story, url, site, pub, upd), "@type": "Article"},
    ]}  # fmt: skip
    tags = "".join(f'<li><a href="/tag/{t}/">{esc(t)}</a></li>' for t in story.tags)
    html = f"""{HEAD}<title>{esc(story.title)} - {site}</title>
<meta property="og:title" content="{esc(story.title)}"><meta property="og:site_name" content="{site}">
<meta property="og:type" content="article"><meta property="og:url" content="{url}">
<meta property="article:published_time" content="{iso(pub)}">
<meta property="article:modified_time" content="{iso(upd)}">
<link rel="canonical" href="{url}">{jsonld(graph)}</head>
<body class="post-template-default single single-post td-standard-pack">
<div class="td-header-wrap"><div class="td-header-top-menu"><div class="td_data_time">{long_date(FETCHED_AT, False)}</div></div>
<div class="td-header-menu-wrap"><ul class="sf-menu"><li><a href="/">Home</a></li><li><a href="/category/nasional/">Nasional</a></li><li><a href="/category/dunia/">Dunia</a></li></ul></div></div>
<div class="td-main-content-wrap td-container-wrap"><div class="td-container td-post-template-default">
<div class="td-crumb-container"><div class="entry-crumbs"><span><a class="entry-crumb" href="/">Home</a></span> <i class="td-icon-right td-bread-sep"></i> <span><a class="entry-crumb" href="/category/{story.section.lower()}/">{esc(story.section)}</a></span></div></div>
<div class="td-pb-row"><div class="td-pb-span8 td-main-content" role="main"><div class="td-ss-main-content">
<article id="post-8812" class="post-8812 post type-post status-publish format-standard has-post-thumbnail category-{story.section.lower()}">
<div class="td-post-header"><ul class="td-category"><li class="entry-category"><a href="/category/{story.section.lower()}/">{esc(story.section)}</a></li></ul>
<header class="td-post-title"><h1 class="entry-title">{esc(story.title)}</h1>
<div class="td-module-meta-info"><div class="td-post-author-name"><div class="td-author-by">By</div> <a href="/author/redaksi/">{esc(story.authors[0])}</a><div class="td-author-line"> - </div></div>
<span class="td-post-date"><time class="entry-date updated td-module-date" datetime="{iso(pub)}">{pub.day} {pub:%B %Y}</time></span>
<div class="td-post-comments"><a href="#respond"><i class="td-icon-comments"></i>0</a></div><div class="td-post-views"><i class="td-icon-views"></i><span class="td-nr-views-8812">66</span></div></div></header></div>
<div class="td-post-sharing-top"><div class="td-post-sharing td-ps-bg td-ps-notext td-post-sharing-style1"><div class="td-post-sharing-visible"><a class="td-social-sharing-button td-social-facebook" href="#"><span class="td-social-but-text">Facebook</span></a><a class="td-social-sharing-button td-social-twitter" href="#"><span class="td-social-but-text">Twitter</span></a><a class="td-social-sharing-button td-social-whatsapp" href="#"><span class="td-social-but-text">WhatsApp</span></a></div></div></div>
<div class="td-post-content tagdiv-type"><div class="td-post-featured-image"><figure><img src="/wp-content/uploads/2026/11/foto.jpg" alt=""><figcaption class="wp-caption-text">{esc(story.caption)}</figcaption></figure></div>
{body.html}
</div>
<footer><div class="td-post-source-tags"><ul class="td-tags td-post-small-box clearfix"><li><span>TAGS</span></li>{tags}</ul></div>
<div class="td-block-row td-post-next-prev"><div class="td-block-span6 td-post-prev-post"><div class="td-post-next-prev-content"><span>Previous article</span><a href="/x/">{esc(OTHER_STORIES[0][1])}</a></div></div></div>
<div class="td-author-name vcard author"><a href="/author/redaksi/">{esc(story.authors[0])}</a></div></footer></article>
<div class="td_block_wrap td_block_related_posts"><h4 class="td-related-title"><a class="td-related-left td-cur-simple-item" href="#">RELATED ARTICLES</a></h4>
<div class="td-related-row"><div class="td-module-thumb"><a href="/y/">{esc(OTHER_STORIES[1][1])}</a></div><div class="td-module-thumb"><a href="/z/">{esc(OTHER_STORIES[2][1])}</a></div></div></div>
<div class="comments" id="comments"><div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title"><span>LEAVE A REPLY</span></h3>
<form action="/wp-comments-post.php" method="post" id="commentform" class="comment-form"><div class="clearfix"></div><div class="comment-form-input-wrap td-form-comment"><textarea placeholder="Comment:" id="comment" name="comment"></textarea><div class="td-warning-comment">Please enter your comment!</div></div>
<div class="comment-form-input-wrap td-form-author"><input class="" id="author" name="author" placeholder="Name:*" type="text"><div class="td-warning-author">Please enter your name here</div></div>
<div class="comment-form-input-wrap td-form-email"><input id="email" name="email" placeholder="Email:*" type="text"><div class="td-warning-email-error">You have entered an incorrect email address!</div></div>
<p class="comment-form-cookies-consent"><input id="wp-comment-cookies-consent" type="checkbox"><label>Save my name, email, and website in this browser for the next time I comment.</label></p>
<p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" value="Post Comment"></p></form></div></div>
</div></div><div class="td-pb-span4 td-main-sidebar">{sidebar(OTHER_STORIES)}</div></div></div></div>
<div class="td-footer-wrapper"><div class="td-footer-info">© Copyright 2026 - {site}. All Rights Reserved</div></div></body></html>"""
    exp = record(
        url, story, text=body.text, published_at=iso(pub), updated_at=iso(upd), site_name=site
    )
    chrome = [
        "LEAVE A REPLY",
        "Please enter your comment!",
        "Please enter your name here",
        "RELATED ARTICLES",
        "Save my name",
        story.caption,
    ]
    return Page(html, exp, {"boilerplate": body.boilerplate + chrome})


# ------------------------------------------------------------------------------------ Blogger
def blogger(story: Story, variant: int) -> Page:
    site, host = "SUARAINDO.com", "https://www.suaraindo.com"
    pub = local(story.published, 7)
    url = f"{host}/{pub:%Y/%m}/{_slug(story)}.html"
    body = story_body(
        story, f"{story.place}, SUARAINDO.com - ", read_also=None, extras=variant != 1
    )
    # Blogger posts: a standfirst and a photo caption above the dateline, loose text and <br>s
    lead = f'<div style="text-align: justify;">{esc(story.standfirst)}</div>'
    photo = (
        f'<table class="tr-caption-container"><tbody><tr><td><img src="x.jpg"></td></tr>'
        f'<tr><td class="tr-caption">{esc(story.caption)} (Foto: Dok. SUARAINDO)</td></tr>'
        "</tbody></table>"
    )
    paras = [
        f'<div style="text-align: justify;">{m[3:-4]}</div><br />' if m.startswith("<p>") else m
        for m, _ in body.blocks
    ]
    byline = ""
    authors = list(story.authors)
    if variant == 0:
        byline = f'<div style="text-align: justify;"><b>Penulis: {esc(story.authors[0])}</b></div>'
    elif variant == 2:
        byline = f"<br />Reporter: {esc(story.authors[0])}<br />Editor: {esc(story.editor)}"
    else:
        authors = []
    labels = "".join(
        f"<a href='{host}/search/label/{esc(t)}' rel='tag'>{esc(t)}</a>, " for t in story.tags
    )
    html = f"""{HEAD}<title>{esc(story.title)} | {site}</title>
<meta content='{esc(story.title)}' property='og:title'/><meta content='{url}' property='og:url'/>
<meta content='{site}' property='og:site_name'/><link href='{url}' rel='canonical'/>
<meta content='{esc(story.standfirst)}' name='description'/></head>
<body><div class='top-bar'><span class='today-date'>{long_date(FETCHED_AT, False)}</span></div>
<div class='header'><h1 class='title'><a href='{host}/'>{site}</a></h1></div>
<div class='main-inner'><div class='date-outer'><h2 class='date-header'><span>{long_date(pub, False)}</span></h2>
<div class='date-posts'><div class='post-outer'><div class='post hentry' itemprop='blogPost' itemscope='itemscope' itemtype='http://schema.org/BlogPosting'>
<h3 class='post-title entry-title' itemprop='name'>{esc(story.title)}</h3>
<div class='post-header'><div class='post-header-line-1'><span class='byline post-timestamp'><a class='timestamp-link' href='{url}' rel='bookmark'><abbr class='published' itemprop='datePublished' title='{iso(pub)}'>{pub:%H.%M}</abbr></a></span></div></div>
<div class='post-share-top'><a class='share-fb' href='#'>Facebook</a><a class='share-tw' href='#'>Twitter</a><a class='share-wa' href='#'>WhatsApp</a></div>
<div class='post-body entry-content' id='post-body-1' itemprop='description articleBody'>
{lead}{photo}{"".join(paras)}{byline}</div>
<div class='post-footer'><div class='post-footer-line post-footer-line-2'><span class='post-labels'>Label: {labels}</span></div></div>
<div class='related-posts'><h4>Artikel Terkait</h4><ul><li><a href='{host}/x.html'>{esc(OTHER_STORIES[3][1])}</a></li></ul></div>
</div><div class='comments' id='comments'><a class='comment-toggle'>Buka Komentar</a><a class='comment-toggle'>Tutup Komentar</a>
<h4 id='comment-post-message'>No comments:</h4><p class='comment-footer'><a href='#'>Write Komentar</a></p>
<div class='comment-note'>Siapapun boleh berkomentar, tetapi dengan cara yang bijaksana dan bertanggung jawab. Komentar sepenuhnya menjadi tanggung jawab individu komentator seperti yang diatur dalam UU ITE (Undang-Undang Informasi dan Transaksi Elektronik) maupun perundang-undangan yang berlaku.</div></div>
</div></div></div></div>
<div class='sidebar'><div class='widget PopularPosts'><h2>TOPIK</h2>{sidebar(OTHER_STORIES[:3], "Populer")}</div></div>
<div class='footer'><a class='back-to-top' href='#'>Back to Top</a><div class='widget Attribution'>Copyright &#169; 2026 {site}. Diberdayakan oleh Blogger.</div></div></body></html>"""
    exp = record(
        url,
        story,
        text=body.text,
        authors=authors,
        published_at=iso(pub),
        section=None,
        site_name=site,
    )
    chrome = [
        "Buka Komentar",
        "Tutup Komentar",
        "No comments",
        "Write Komentar",
        "UU ITE",
        "Back to Top",
        "TOPIK",
        story.standfirst,
        story.caption,
        "Penulis:",
        "Editor:",
        "Reporter:",
        "Label:",
    ]
    return Page(html, exp, {"boilerplate": body.boilerplate + chrome})


# ------------------------------------------------------------- other WordPress theme (JNews-like)
def wordpress(story: Story, variant: int) -> Page:
    site, host = "Lintas Kaltim", "https://lintaskaltim.id"
    hours = 8
    pub = local(story.published, hours)
    url = f"{host}/{_slug(story)}/"

    def boxes(t: str) -> str:
        return (
            f'<div class="jeg_post_related baca-juga"><span>Baca Juga:</span> '
            f'<a href="/x/">{esc(t)}</a></div>'
        )

    body = story_body(
        story,
        f"{story.place.title()}, lintaskaltim.id – ",
        read_also=boxes,
        read_also_after=(0, 2),
        initials=False,
    )
    body.junk(
        "<p>Dapatkan update berita pilihan dan breaking news setiap hari dari Lintas Kaltim. "
        'Mari bergabung di Grup Telegram "Lintas Kaltim News", caranya klik link '
        '<a href="#">https://t.me/lintaskaltim</a>, kemudian join.</p>',
        "Grup Telegram",
    )
    body.junk(f"<p>Editor: {esc(story.editor)}</p>", f"Editor: {story.editor}")
    json_ld = "" if variant == 1 else jsonld(news_article(story, url, site, pub, None))
    html = f"""{HEAD}<title>{esc(story.title)} &#8211; {site}</title>
<meta property="og:locale" content="id_ID"><meta property="og:type" content="article">
<meta property="og:title" content="{esc(story.title)} &#8211; {site}"><meta property="og:site_name" content="{site}">
<meta property="article:section" content="{esc(story.section)}">
{"".join(f'<meta property="article:tag" content="{esc(t)}">' for t in story.tags)}
<link rel="canonical" href="{url}">{json_ld}</head>
<body class="post-template-default single single-post jeg_single_tpl_1">
<div class="jeg_header"><div class="jeg_nav_row"><a href="/">Beranda</a> <a href="/kategori/daerah/">Daerah</a></div></div>
<div class="jeg_main"><div class="jeg_container"><div class="jeg_content jeg_singlepage"><div class="container"><div class="row"><div class="jeg_main_content col-md-8">
<div class="jeg_inner_content"><div class="jeg_breadcrumbs jeg_breadcrumb_container"><div id="breadcrumbs"><span><a href="/">Beranda</a></span><i class="fa fa-angle-right"></i><span class="breadcrumb_last_link"><a href="/kategori/x/">{esc(story.section)}</a></span></div></div>
<div class="entry-header"><h1 class="jeg_post_title">{esc(story.title)}</h1>
<div class="jeg_meta_container"><div class="jeg_post_meta jeg_post_meta_1"><div class="meta_left"><div class="jeg_meta_author"><span class="meta_text">by</span> <a href="/author/a/">{esc(story.authors[0])}</a></div>
<div class="jeg_meta_date"><a href="{url}">{pub.day} {pub:%B %Y}</a> - {pub:%H:%M} WITA</div></div></div></div></div>
<div class="jeg_share_top_container"><div class="jeg_share_button clearfix"><div class="jeg_sharelist"><a href="#" class="jeg_btn-facebook"><span>Share on Facebook</span></a><a href="#" class="jeg_btn-twitter"><span>Share on Twitter</span></a></div></div></div>
<div class="jeg_featured featured_image"><img src="x.jpg"><p class="wp-caption-text">{esc(story.caption)}</p></div>
<div class="entry-content no-share"><div class="content-inner ">{body.html}</div>
<div class="jeg_post_tags"><span>Tags:</span> {"".join(f'<a href="/tag/{esc(t)}/" rel="tag">{esc(t)}</a>' for t in story.tags)}</div></div>
<div class="jnews_related_post_container"><div class="jeg_postblock_22 jeg_postblock"><h3>Berita Terkait</h3><a href="/a/">{esc(OTHER_STORIES[0][1])}</a></div></div>
<div class="jnews_comment_container"><div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title">Tinggalkan Balasan</h3><form class="comment-form"><p class="comment-notes">Alamat email Anda tidak akan dipublikasikan.</p></form></div></div>
</div></div><div class="jeg_sidebar col-md-4">{sidebar(OTHER_STORIES)}</div></div></div></div></div></div>
<div class="footer">Copyright © 2026 {site}</div></body></html>"""
    exp = record(url, story, text=body.text, published_at=iso(pub), site_name=site)
    chrome = ["Tinggalkan Balasan", "Berita Terkait", "Share on Facebook", story.caption]
    return Page(html, exp, {"boilerplate": body.boilerplate + chrome})


# ------------------------------------------------------------------------------ detik-like portal
def detik(story: Story, variant: int) -> Page:
    site, host = "wartakini", "https://news.wartakini.com"
    pub = local(story.published, 7)
    url = f"{host}/berita/d-77{variant}2345/{_slug(story)}"
    ads = (
        '<div class="parallaxindetail scrollpage"><div class="ads-scrollpage-container">'
        '<span class="ads-scrollpage-top">ADVERTISEMENT</span><div id="div-gpt-ad-parallax">'
        '</div><span class="ads-scrollpage-bottom">SCROLL TO CONTINUE WITH CONTENT</span>'
        "</div></div>"
    )
    body = story_body(
        story,
        f"{story.place.title()} - ",
        bold_dateline=True,
        read_also=lambda t: (
            f'<table class="linksisip"><tr><td><div class="lihatjg"><strong>Baca '
            f'juga: </strong><a href="/x">{esc(t)}</a></div></td></tr></table>'
        ),
        between={1: (ads, ("ADVERTISEMENT", "SCROLL TO CONTINUE WITH CONTENT"))},
    )
    body.junk(
        "<p><strong>Simak Video &quot;Detik-detik Banjir Rendam Permukiman&quot;</strong></p>"
        "<p>[Gambas:Video 20detik]</p>",
        "Simak Video",
        "[Gambas",
    )
    tags = "".join(f'<a href="/tag/{esc(t)}" class="nav__item">{esc(t)}</a>' for t in story.tags)
    names = " dan ".join(story.authors)
    html = f"""{HEAD}<title>{esc(story.title)}</title>
<meta name="publishdate" content="{pub:%Y/%m/%d %H:%M:%S}"><meta name="createdate" content="{pub:%Y/%m/%d %H:%M:%S}">
<meta name="author" content="{esc(names)}"><meta property="og:site_name" content="{site}">
<meta property="og:title" content="{esc(story.title)}"><meta property="og:type" content="article">
<meta name="keywords" content="{esc(", ".join(story.tags))}, berita, terkini">
<meta name="kanalid" content="2-1-10"><link rel="canonical" href="{url}">
<link rel="amphtml" href="{host}/berita/d-77{variant}2345/{_slug(story)}/amp"></head>
<body><header class="header"><div class="container"><a href="/" class="logo">wartakiniNews</a><nav class="nav"><a class="nav__item" href="/berita">Berita</a><a class="nav__item" href="/daerah">Daerah</a></nav></div></header>
<div class="container"><div class="grid-row"><div class="column-8"><article class="detail">
<div class="detail__header"><div class="page__breadcrumb"><a href="/">wartakiniNews</a><a href="/{story.section.lower()}">{esc(story.section)}</a></div>
<h1 class="detail__title">{esc(story.title)}</h1>
<div class="detail__author">{esc(names)} - wartakiniNews</div><div class="detail__date">{long_date(pub, short=True)}</div>
<div class="detail__share"><a class="share-fb">Facebook</a><a class="share-tw">Twitter</a><span class="share-count">1,2K Shares</span></div></div>
<div class="detail__media"><figure class="detail__media-image"><img src="x.jpg"><figcaption class="detail__media-caption">{esc(story.caption)} (Foto: Rifkianto/wartakiniNews)</figcaption></figure></div>
<div class="detail__body itp_bodycontent_wrapper"><div class="detail__body-text itp_bodycontent">
{body.html}
</div><div class="detail__body-tag mgt-16"><div class="nav">{tags}</div></div></div>
</article><div class="list-content"><h2>Berita Terkait</h2>{sidebar(OTHER_STORIES[:3], "Berita Terkait")}</div>
<div class="comment-box"><div id="komentar">Komentar</div><p>Belum ada komentar. Jadilah yang pertama!</p></div></div>
<div class="column-4">{sidebar(OTHER_STORIES)}</div></div></div>
<footer class="footer">Copyright @ 2026 wartakini. All rights reserved</footer></body></html>"""
    exp = record(url, story, text=body.text, published_at=iso(pub), site_name=site)
    return Page(html, exp, {"boilerplate": body.boilerplate + [story.caption, "wartakiniNews"]})


# ------------------------------------------------------------------------------ kompas-like portal
def kompas(story: Story, variant: int) -> Page:
    site, host = "KABARPAGI.com", "https://www.kabarpagi.com"
    pub = local(story.published, 7)
    url = f"{host}/read/{pub:%Y/%m/%d/%H%M}0041/{_slug(story)}"
    body = story_body(
        story,
        f"{story.place}, KABARPAGI.com - ",
        read_also_after=(0, 2),
        read_also=lambda t: (
            f'<p><strong>Baca juga: </strong><a href="/read/x" '
            f'class="inner-link-baca-juga">{esc(t)}</a></p>'
        ),
        initials=False,
    )
    body.junk(
        "<p>Simak breaking news dan berita pilihan kami langsung di ponselmu. Pilih saluran "
        "andalanmu akses berita KABARPAGI.com WhatsApp Channel : "
        '<a href="https://www.whatsapp.com/channel/x">https://www.whatsapp.com/channel/x</a>.'
        " Pastikan kamu sudah install aplikasi WhatsApp ya.</p>",
        "WhatsApp Channel",
    )
    credit = (
        "".join(
            f'<div class="credit-title-name"><h6>Penulis</h6><h5><a href="/penulis/x">{esc(a)}</a></h5></div>'
            for a in story.authors
        )
        + f'<div class="credit-title-name"><h6>Editor</h6><h5><a href="/editor/y">{esc(story.editor)}</a></h5></div>'
    )
    tag_html = "".join(
        f'<li class="tag__article__item"><a class="tag__article__link" href="/tag/{esc(t)}">{esc(t)}</a></li>'
        for t in story.tags
    )
    meta_date = f"{pub:%Y-%m-%d %H:%M:%S}" if variant != 2 else f"{pub:%Y-%m-%d}"
    html = f"""{HEAD}<title>{esc(story.title)} Halaman all - KABARPAGI.com</title>
<meta name="content_PublishedDate" content="{meta_date}"><meta name="content_category" content="{esc(story.section)}">
<meta name="content_author" content="{esc(", ".join(story.authors))}"><meta name="content_editor" content="{esc(story.editor)}">
<meta name="content_tag" content="{esc(", ".join(story.tags))}">
<meta property="og:title" content="{esc(story.title)} Halaman all"><meta property="og:site_name" content="{site}">
<meta property="og:type" content="article"><meta property="og:url" content="{url}">
<meta name="description" content="{esc(story.standfirst)}"><link rel="canonical" href="{url}"></head>
<body><div class="header"><div class="logo"><a href="/">KABARPAGI.com</a></div><ul class="nav"><li><a href="/news">News</a></li><li><a href="/tren">Tren</a></li></ul></div>
<div class="container"><div class="breadcrumb"><ul class="breadcrumb__wrap"><li class="breadcrumb__item"><a class="breadcrumb__link" href="/">Home</a></li><li class="breadcrumb__item"><a class="breadcrumb__link" href="/news">News</a></li><li class="breadcrumb__item"><a class="breadcrumb__link" href="/{story.section.lower()}">{esc(story.section)}</a></li></ul></div>
<div class="read__header"><h1 class="read__title">{esc(story.title)}</h1>
<div class="read__info"><div class="read__time">KABARPAGI.com - {pub:%d/%m/%Y}, {pub:%H:%M} WIB</div></div></div>
<div class="social--inline"><div class="social--share">Bagikan artikel ini melalui</div><a class="social__item" href="#">Facebook</a><a class="social__item" href="#">X</a></div>
<div class="photo"><div class="photo__wrap"><img src="x.jpg"></div><div class="photo__caption">{esc(story.caption)}</div></div>
<div class="read__content"><div class="clearfix">{body.html}</div></div>
<div class="read__credit clearfix">{credit}</div>
<div class="tag"><h3 class="tag__article__title">Tag</h3><ul class="tag__article__wrap">{tag_html}</ul></div>
<div class="read__paging clearfix"><div class="paging__wrap"><div class="paging__item"><a class="paging__link paging__link--active" href="#">1</a></div></div></div>
<div class="most">{sidebar(OTHER_STORIES, "Terpopuler")}</div></div>
<div class="footer">Copyright 2008 - 2026 PT. Kabar Pagi Digital. All Rights Reserved.</div></body></html>"""
    exp = record(url, story, text=body.text, published_at=iso(pub), site_name=site)
    return Page(html, exp, {"boilerplate": body.boilerplate + [story.caption, "Bagikan artikel"]})


# ------------------------------------------------------------------------------ tribun-like portal
def tribun(story: Story, variant: int) -> Page:
    site, host = "BeritaRaya.com", "https://www.beritaraya.com"
    pub = local(story.published, 7)
    url = f"{host}/{story.section.lower()}/{pub:%Y/%m/%d}/{_slug(story)}"
    body = story_body(
        story,
        f"BERITARAYA.COM, {story.place} - ",
        initials=False,
        read_also=lambda t: f'<p><strong>Baca juga: <a href="/x">{esc(t)}</a></strong></p>',
    )
    reporter = story.authors[0]
    body.blocks.insert(
        0, (f"<p><strong>Laporan Wartawan BeritaRaya.com, {esc(reporter)}</strong></p>", None)
    )
    body.boilerplate.append("Laporan Wartawan")
    if variant == 1:
        body.junk(
            '<p>Artikel ini telah tayang di <a href="https://jateng.beritaraya.com/x">'
            f"BeritaRaya Jateng</a> dengan judul {esc(story.title)}</p>",
            "Artikel ini telah tayang",
        )
    pages = (
        '<div class="paging"><a href="?page=1" class="current">1</a><a href="?page=2">2</a>'
        '<a href="?page=2">Halaman selanjutnya</a></div>'
    )
    body.junk(pages, "Halaman selanjutnya")
    tags = "".join(
        f'<h5 class="tagcloud3"><a href="/tag/{esc(t)}">{esc(t)}</a></h5>' for t in story.tags
    )
    html = f"""{HEAD}<title>{esc(story.title)} - BeritaRaya.com</title>
<meta property="og:title" content="{esc(story.title)}"><meta property="og:site_name" content="{site}">
<meta property="og:type" content="article"><meta property="article:published_time" content="{iso(pub)}">
<meta name="author" content="BeritaRaya.com"><meta name="description" content="{esc(story.standfirst)}">
<link rel="canonical" href="{url}">
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"BreadcrumbList","itemListElement":[{{"@type":"ListItem","position":1,"name":"Home","item":"{host}/"}},{{"@type":"ListItem","position":2,"name":"{esc(story.section)}","item":"{host}/{story.section.lower()}"}}]}}</script></head>
<body><div id="header"><a href="/" class="logo">BeritaRaya.com</a><div class="menu"><a href="/nasional">Nasional</a><a href="/regional">Regional</a></div></div>
<div class="main"><div class="content"><div id="article"><h1 id="arttitle">{esc(story.title)}</h1>
<div class="credit mt10"><div class="mr10"><div class="f12 fbo"><a href="/penulis/x">Penulis: {esc(reporter)}</a></div><div class="f12 grey">Editor: {esc(story.editor)}</div></div></div>
<div class="mt10 grey2 f12"><time>{long_date(pub)}</time></div>
<div class="share"><a class="fb">Facebook</a><a class="tw">Twitter</a><a class="wa">WhatsApp</a></div>
<div class="ovh imgfull_div"><img src="x.jpg"><div class="arial f12 pt5 grey2">{esc(story.caption)}</div></div>
<div class="side-article txt-article multi-fontsize">{body.html}</div>
<div class="mb20"><h3>Berita Terkait</h3><ul>{"".join(f'<li><a href="{h}">{esc(t)}</a></li>' for h, t in OTHER_STORIES[:3])}</ul></div>
<div class="tagcloud">Tags: {tags}</div></div></div>
<div class="sidebar">{sidebar(OTHER_STORIES)}</div></div>
<div id="footer">© 2026 BeritaRaya.com, All Rights Reserved</div></body></html>"""
    exp = record(
        url, story, text=body.text, published_at=iso(pub), site_name=site, authors=[reporter]
    )
    return Page(html, exp, {"boilerplate": body.boilerplate + [story.caption, "Penulis:"]})


# --------------------------------------------------------------------------- CNN Indonesia-like
def cnn(story: Story, variant: int) -> Page:
    site, host = "NTV Indonesia", "https://www.ntvindonesia.com"
    pub = local(story.published, 7)
    url = f"{host}/{story.section.lower()}/{pub:%Y%m%d%H%M%S}-20-9{variant}1234/{_slug(story)}"
    ads = (
        '<div class="paradetail"><div class="ads_inline">ADVERTISEMENT</div><div class="para_caption">'
        "SCROLL TO CONTINUE WITH CONTENT</div></div>"
    )
    body = story_body(
        story,
        f"{story.place.title()}, NTV Indonesia -- ",
        between={0: (ads, ("ADVERTISEMENT", "SCROLL TO CONTINUE WITH CONTENT"))},
        read_also=lambda t: (
            f'<div class="inline-terkait"><span>Lihat Juga :</span><ul><li><a href="/x">'
            f"{esc(t)}</a></li></ul></div>"
        ),
        read_also_after=(2,),
    )
    video = (
        '<div class="detail_video"><iframe src="https://www.ntvindonesia.com/embed/video/123">'
        "</iframe><p>Video: Banjir Bandang Terjang Permukiman</p></div>"
    )
    body.junk(video, "Video: Banjir Bandang")
    jl = jsonld(news_article(story, url, site, pub, None, utc=True, section=False))
    html = f"""{HEAD}<title>{esc(story.title)}</title>
<meta property="og:title" content="{esc(story.title)}"><meta property="og:site_name" content="{site}">
<meta name="articleid" content="9{variant}1234"><meta name="kanal" content="{esc(story.section)}">
<meta name="author" content="{esc(", ".join(story.authors))}"><meta property="og:type" content="article">
<link rel="canonical" href="{url}">{jl}</head>
<body><div class="nav"><a href="/">NTV Indonesia</a><a href="/nasional">Nasional</a><a href="/ekonomi">Ekonomi</a></div>
<div class="container"><div class="breadcrumb"><a href="/">Home</a> <span>/</span> <a href="/{story.section.lower()}">{esc(story.section)}</a></div>
<div class="content_detail"><h1 class="title">{esc(story.title)}</h1>
<div class="date">NTV Indonesia | {DAYS_CNN(pub)}</div>
<div class="author">{esc(" & ".join(story.authors))}, NTV Indonesia</div>
<div class="media_artikel"><img src="x.jpg"><span class="caption">{esc(story.caption)} (ANTARA FOTO/Rudi)</span></div>
<div class="detail_wrap"><div class="detail_text" id="detikdetailtext">{body.html}</div></div>
<div class="box_tag"><span>TOPIK TERKAIT</span>{"".join(f'<a class="gtm_topik" href="/tag/{esc(t)}">{esc(t)}</a>' for t in story.tags)}</div>
<div class="lihat_juga"><h3>LIHAT JUGA</h3>{sidebar(OTHER_STORIES[:3], "Berita Terkait")}</div></div></div>
<div class="footer">Hak Cipta © 2026 NTV Indonesia</div></body></html>"""
    exp = record(url, story, text=body.text, published_at=iso(pub), site_name=site)
    return Page(html, exp, {"boilerplate": body.boilerplate + [story.caption]})


def DAYS_CNN(value):  # noqa: N802 - "Kamis, 19/11/2026 08:15 WIB"
    from corpus_layouts import DAYS

    return f"{DAYS[value.weekday()]}, {value:%d/%m/%Y %H:%M} WIB"


# ----------------------------------------------------------------------------- liputan6-like
def liputan6(story: Story, variant: int) -> Page:
    site, host = "Kabar6.com", "https://www.kabar6.com"
    pub = local(story.published, 7)
    relative = variant == 1
    if relative:  # the page only says "2 jam lalu": resolved against the fetch time
        pub = FETCHED_AT - timedelta(hours=2)
    url = f"{host}/{story.section.lower()}/read/51{variant}3456/{_slug(story)}"

    def box(t: str) -> str:
        return (
            f'<div class="baca-juga-collections"><div class="baca-juga__header">Baca Juga'
            f'</div><ul class="baca-juga__list"><li><a class="baca-juga__link" href="/x">'
            f"{esc(t)}</a></li></ul></div>"
        )

    body = story_body(
        story,
        f"Kabar6.com, {story.place.title()} - ",
        read_also=box,
        read_also_after=(0, 2),
        initials=False,
    )
    body.junk(
        "<p><strong>Simak juga video pilihan berikut ini:</strong></p>"
        '<div class="video-embed"><iframe src="https://www.vidio.com/embed/1"></iframe></div>',
        "Simak juga",
    )
    shown = "2 jam lalu" if relative else f"{pub:%d %b %Y}, {pub:%H:%M} WIB".replace("Dec", "Des")
    datetime_attr = "" if relative else f' datetime="{pub:%Y-%m-%d %H:%M:%S}"'
    html = f"""{HEAD}<title>{esc(story.title)} - News Kabar6.com</title>
<meta property="og:title" content="{esc(story.title)}"><meta property="og:site_name" content="{site}">
<meta property="og:type" content="article"><meta name="description" content="{esc(story.standfirst)}">
<link rel="canonical" href="{url}"></head>
<body><header class="navbar"><a href="/" class="navbar--logo">Kabar6.com</a></header>
<div class="main-container"><article class="hentry main">
<header class="read-page--header"><ol class="read-page--breadcrumb"><li><a href="/">Home</a></li><li><a href="/{story.section.lower()}">{esc(story.section)}</a></li></ol>
<h1 class="read-page--header--title entry-title">{esc(story.title)}</h1>
<div class="read-page--header--author"><span class="read-page--header--author__name fn">{esc(story.authors[0])}</span>
<span class="read-page--header--author__datetime-wrapper"><time class="read-page--header--author__datetime updated"{datetime_attr}>{shown}</time></span></div></header>
<div class="read-page--top-media"><figure class="read-page--photo-gallery--item"><img src="x.jpg"><figcaption class="read-page--photo-gallery--item__caption">{esc(story.caption)} (Kabar6.com/Johan Tallo)</figcaption></figure></div>
<div class="article-content-body__item-content">{body.html}</div>
<div class="tags--snippet"><span class="tags--snippet__title">Tag Terkait</span>{"".join(f'<a class="tags--snippet__link" href="/tag/{esc(t)}">{esc(t)}</a>' for t in story.tags)}</div>
</article><div class="read-page--related-news">{sidebar(OTHER_STORIES, "Berita Terkait")}</div></div>
<footer>Copyright © 2026 Kabar6.com</footer></body></html>"""
    exp = record(url, story, text=body.text, published_at=iso(pub), site_name=site)
    meta = {"boilerplate": body.boilerplate + [story.caption], "fetched_at": iso(FETCHED_AT)}
    return Page(html, exp, meta)


# -------------------------------------------------------------------------------- tempo-like
def tempo(story: Story, variant: int) -> Page:
    site, host = "Warta.co", "https://nasional.warta.co"
    pub = local(story.published, 7)
    url = f"{host}/read/17{variant}0123/{_slug(story)}"
    body = story_body(
        story,
        f"WARTA.CO, {story.place.title()} - ",
        read_also=_read_also_p,
        read_also_after=(1,),
        initials=False,
    )
    body.junk(
        f"<p><strong>Pilihan Editor:</strong> <a href='/y'>{esc(story.read_also[1])}</a></p>",
        "Pilihan Editor",
    )
    body.junk(
        "<p><em>Ikuti berita terkini dari Warta.co di Google News, klik di sini</em></p>",
        "Google News",
    )
    upd = local(story.updated, 7) if story.updated else None
    jl = jsonld(news_article(story, url, site, pub, upd, keywords=True))
    html = f"""{HEAD}<title>{esc(story.title)} | warta.co</title>
<meta property="og:title" content="{esc(story.title)} | warta.co"><meta property="og:site_name" content="Warta.co">
<meta name="description" content="{esc(story.standfirst)}"><link rel="canonical" href="{url}">{jl}</head>
<body><nav class="nav"><a href="/">warta.co</a><a href="/nasional">Nasional</a></nav>
<div class="wrapper"><section class="detail-artikel"><div class="breadcrumbs"><a href="/">Home</a> &gt; <a href="/{story.section.lower()}">{esc(story.section)}</a></div>
<h1 class="title">{esc(story.title)}</h1>
<div class="date-wrap"><p class="date">{long_date(pub)}</p></div>
<div class="detail-in"><div class="foto-detail"><img src="x.jpg"><div class="caption-foto"><p>{esc(story.caption)} WARTA/Subekti</p></div></div>
<div class="author-box"><p>Reporter: <a href="/author/a">{esc(story.authors[0])}</a></p><p>Editor: <a href="/author/b">{esc(story.editor)}</a></p></div>
<div class="detail-konten" itemprop="articleBody">{body.html}</div>
<div class="tags"><ul>{"".join(f'<li><a href="/tag/{esc(t)}">{esc(t)}</a></li>' for t in story.tags)}</ul></div>
<div class="populer">{sidebar(OTHER_STORIES, "Terpopuler")}</div></div></section></div>
<footer>Copyright © 2026 Warta.co</footer></body></html>"""
    exp = record(
        url,
        story,
        text=body.text,
        published_at=iso(pub),
        updated_at=iso(upd) if upd else None,
        site_name=site,
    )
    return Page(html, exp, {"boilerplate": body.boilerplate + [story.caption, "Reporter:"]})


# ------------------------------------------------------------------------------- antara-like
def antara(story: Story, variant: int) -> Page:
    site, host = "Siaran News", "https://www.siarannews.com"
    pub = local(story.published, 7)
    url = f"{host}/berita/41{variant}3456/{_slug(story)}"
    body = story_body(
        story,
        f"{story.place.title()} (SIARAN) - ",
        initials=False,
        read_also=lambda t: f"<p>Baca juga: {esc(t)}</p>",
        read_also_after=(0, 2),
    )
    body.junk(
        f'<p class="text-muted small mt-2">Pewarta: {esc(story.authors[0])}<br>Editor: '
        f"{esc(story.editor)}<br>Copyright © SIARAN 2026</p>",
        "Pewarta:",
        "Copyright © SIARAN",
    )
    html = f"""{HEAD}<title>{esc(story.title)} - SIARAN News</title>
<meta property="og:title" content="{esc(story.title)}"><meta property="og:site_name" content="{site}">
<meta property="og:type" content="article"><meta property="article:section" content="{esc(story.section)}">
<meta name="description" content="{esc(story.standfirst)}"><link rel="canonical" href="{url}"></head>
<body><div class="header"><a href="/">SIARAN News</a></div>
<div class="container"><div class="wrap__article-detail"><div class="wrap__article-detail-title"><h1>{esc(story.title)}</h1></div>
<div class="wrap__article-detail-info"><ul class="list-inline"><li class="list-inline-item"><span class="text-secondary font-weight-normal"><i class="fa fa-clock-o"></i> {long_date(pub)}</span></li></ul></div>
<div class="wrap__article-detail-image"><figure><img src="x.jpg"><figcaption>{esc(story.caption)} SIARAN FOTO/Widodo S. Jusuf/wsj.</figcaption></figure></div>
<div class="wrap__article-detail-content post-content">{body.html}</div>
<div class="blog-tags"><ul class="list-inline"><li class="list-inline-item"><i class="fa fa-tags"></i></li>{"".join(f'<li class="list-inline-item"><a href="/tag/{esc(t)}">#{esc(t)}</a></li>' for t in story.tags)}</ul></div>
<div class="wrapper__list__article"><h4 class="border_section">Berita Terkait</h4>{sidebar(OTHER_STORIES[:3], "Berita Terkait")}</div></div></div>
<footer>Copyright © 2026 SIARAN</footer></body></html>"""
    exp = record(url, story, text=body.text, published_at=iso(pub), site_name=site)
    return Page(html, exp, {"boilerplate": body.boilerplate + [story.caption]})


# ---------------------------------------------------- regional outlets (WITA / WIT, no JSON-LD)
def regional(story: Story, variant: int) -> Page:
    if story.place in ("JAYAPURA", "AMBON"):
        site, host, hours, brand = "Kabar Papua", "https://kabarpapua.id", 9, "KABARPAPUA.ID"
    else:
        site, host, hours, brand = "Fajar Timur", "https://fajartimur.co.id", 8, "FAJARTIMUR.CO.ID"
    pub = local(story.published, hours)
    url = f"{host}/{pub:%Y/%m/%d}/{_slug(story)}/"
    zone = {8: "WITA", 9: "WIT"}[hours]
    body = story_body(story, f"{story.place}, {brand} -- ", read_also=_read_also_p, initials=False)
    body.blocks.insert(0, (f"<p>Oleh: {esc(story.authors[0])}</p>", None))
    body.boilerplate.append("Oleh:")
    month = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")[
        pub.month - 1
    ]
    from corpus_layouts import DAYS

    shown = f"{DAYS[pub.weekday()]}, {pub.day} {month} {pub.year} | {pub:%H:%M} {zone}"
    html = f"""{HEAD}<title>{esc(story.title)} | {site}</title>
<meta name="description" content="{esc(story.standfirst)}">
<meta property="og:title" content="{esc(story.title)} | {site}"><meta property="og:site_name" content="{site}">
</head><body><div id="masthead"><a href="/">{site}</a><ul id="menu"><li><a href="/kategori/{story.section.lower()}/">{esc(story.section)}</a></li></ul></div>
<div id="content"><div class="single-post"><span class="kategori"><a href="/kategori/{story.section.lower()}/" rel="category tag">{esc(story.section)}</a></span>
<h1 class="judul">{esc(story.title)}</h1><div class="info-post"><span class="tgl">{shown}</span> <span class="dilihat">Dibaca: 1.204 kali</span></div>
<div class="gambar"><img src="x.jpg"><p class="keterangan-foto">{esc(story.caption)}</p></div>
<div class="isi-berita">{body.html}</div>
<div class="bagikan"><span>Bagikan:</span><a href="#">Facebook</a><a href="#">WhatsApp</a></div>
</div><div id="sidebar">{sidebar(OTHER_STORIES)}</div></div>
<div id="footer">© 2026 {site}</div></body></html>"""
    exp = record(
        url,
        story,
        text=body.text,
        published_at=iso(pub),
        site_name=site,
        tags=[],
        section=story.section,
    )
    return Page(html, exp, {"boilerplate": body.boilerplate + [story.caption, "Dibaca:"]})


# ------------------------------------------------------- AMP page of a portal (canonical elsewhere)
def amp(story: Story, variant: int) -> Page:
    page = kompas(story, 0)
    canonical = page.expected["url"]
    url = canonical.replace("www.kabarpagi.com", "amp.kabarpagi.com")
    html = page.html.replace('<html lang="id">', '<html ⚡ lang="id">')
    page.expected.update(url=url)
    return Page(html, page.expected, page.meta)


# ------------------------------------------------------------------------------ non-articles
def _teasers(n: int = 12, descriptions: bool = False) -> str:
    items = []
    for i in range(n):
        href, title = OTHER_STORIES[i % len(OTHER_STORIES)]
        text = f"{title} (Bagian {i + 1})"
        desc = (
            (
                f"<p>Ringkasan singkat berita nomor {i + 1} tentang perkembangan terbaru di "
                "berbagai daerah.</p>"
            )
            if descriptions
            else ""
        )
        items.append(
            f'<article class="list-item"><h2><a href="{href}?n={i}">{esc(text)}</a></h2>'
            f'<span class="date">Rabu, 02/12/2026 1{i % 10}:00 WIB</span>{desc}</article>'
        )
    return "".join(items)


def listing_home(_: Story, variant: int) -> Page:
    url = "https://www.kabarpagi.com/"
    html = f"""{HEAD}<title>KABARPAGI.com - Berita Terkini Hari Ini</title>
<meta property="og:type" content="website"><meta property="og:site_name" content="KABARPAGI.com">
</head><body><div class="header"><a href="/">KABARPAGI.com</a></div>
<div class="headline">{_teasers(4)}</div><div class="latest"><h2>Berita Terkini</h2>{_teasers(20)}</div>
<div class="footer">Copyright 2026</div></body></html>"""
    return Page(html, record(url, None, dateline=None), {"is_article": False})


def listing_tag(_: Story, variant: int) -> Page:
    url = "https://kabarturki.com/tag/banjir/"
    html = f"""{HEAD}<title>banjir Archives - KabarTurki</title>
<meta property="og:type" content="website">
{jsonld({"@context": "https://schema.org", "@type": "CollectionPage", "name": "banjir"})}
</head><body><h1 class="entry-title td-page-title">banjir</h1>{_teasers(10, descriptions=True)}
<div class="page-nav td-pb-padding-side"><a href="/tag/banjir/page/2/">2</a></div></body></html>"""
    return Page(html, record(url, None, dateline=None), {"is_article": False})


def listing_search(_: Story, variant: int) -> Page:
    url = "https://www.beritaraya.com/search?q=banjir+bekasi"
    html = f"""{HEAD}<title>Hasil pencarian: banjir bekasi - BeritaRaya.com</title></head>
<body><h1>Hasil Pencarian "banjir bekasi"</h1><div class="search-results">{_teasers(10, True)}</div></body></html>"""
    return Page(html, record(url, None, dateline=None), {"is_article": False})


def gallery(story: Story, variant: int) -> Page:
    url = f"https://www.kabar6.com/foto/read/88812/{_slug(story)}"
    figures = "".join(
        f'<figure class="gallery-item"><img src="g{i}.jpg"><figcaption>Foto {i + 1}: suasana '
        f"banjir di Bekasi.</figcaption></figure>"
        for i in range(8)
    )
    html = f"""{HEAD}<title>FOTO: {esc(story.title)} - Kabar6.com</title>
<meta property="og:type" content="article">
{jsonld({"@context": "https://schema.org", "@type": "ImageGallery", "name": story.title})}
</head><body><h1>FOTO: {esc(story.title)}</h1><div class="gallery">{figures}</div></body></html>"""
    return Page(html, record(url, None, dateline=None), {"is_article": False})


def video(story: Story, variant: int) -> Page:
    url = f"https://www.ntvindonesia.com/tv/20261119-404-123/video-{_slug(story)}"
    html = f"""{HEAD}<title>VIDEO: {esc(story.title)}</title>
<meta property="og:type" content="video.other">
{
        jsonld(
            {
                "@context": "https://schema.org",
                "@type": "VideoObject",
                "name": story.title,
                "uploadDate": "2026-11-19T08:15:00+07:00",
            }
        )
    }
</head><body><h1>VIDEO: {
        esc(story.title)
    }</h1><div class="video-player"><video src="v.mp4"></video></div>
<p>Tonton video selengkapnya di NTV Indonesia.</p></body></html>"""
    return Page(html, record(url, None, dateline=None), {"is_article": False})


def liveblog(story: Story, variant: int) -> Page:
    url = "https://news.wartakini.com/live/banjir-jakarta-terkini"
    html = f"""{HEAD}<title>LIVE: Update Banjir Jakarta Hari Ini</title>
{
        jsonld(
            {
                "@context": "https://schema.org",
                "@type": "LiveBlogPosting",
                "headline": "Update Banjir Jakarta",
                "coverageStartTime": "2026-11-19T06:00:00+07:00",
            }
        )
    }
</head><body><h1>LIVE: Update Banjir Jakarta Hari Ini</h1><div id="live-updates" data-src="/api/live/1">Memuat...</div>
</body></html>"""
    return Page(html, record(url, None, dateline=None), {"is_article": False})


# ---------------------------------------- small portal: organisation JSON-LD, byline under title
def portal(story: Story, variant: int) -> Page:
    host = "https://www.suarawarga.id"
    hours = 9 if story.place in ("JAYAPURA", "AMBON") else 7
    pub = local(story.published, hours)
    url = f"{host}/{story.section.lower()}/{pub:%Y%m%d}{variant}/{_slug(story)}"
    body = story_body(story, f"{story.place.title()}, suarawarga.id — ", initials=True)
    # the standfirst printed again as the first paragraph, and "Baca juga" glued to a paragraph
    body.blocks.insert(0, (f"<p><em>{esc(story.standfirst)}</em></p>", None))
    body.boilerplate.append(story.standfirst)
    first_real = next(i for i, (m, t) in enumerate(body.blocks) if t == story.paragraphs[1])
    markup, text = body.blocks[first_real]
    tail = f' Baca juga: <a href="/x">{esc(story.read_also[0])}</a>'
    body.blocks[first_real] = (markup.replace("</p>", tail + "</p>"), text)
    body.boilerplate.append(f"Baca juga: {story.read_also[0]}")
    month = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov",
             "Des")[pub.month - 1]
    zone = {7: "WIB", 9: "WIT"}[hours]
    org = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": story.title,
           "author": {"@type": "Organization", "name": "Redaksi Suara Warga"},
           "datePublished": f"{pub:%Y-%m-%d}"}
    html = f"""{HEAD}<title>{esc(story.title)} - Suara Warga</title>{jsonld(org)}
<meta name="description" content="{esc(story.standfirst)}"></head>
<body><div class="topbar">{long_date(FETCHED_AT, False)}</div><div class="brand"><a href="/">suarawarga.id</a></div>
<main><nav aria-label="breadcrumb"><ol class="breadcrumb"><li><a href="/">Beranda</a></li><li><a href="/{story.section.lower()}">{esc(story.section)}</a></li></ol></nav>
<h1>{esc(story.title)}</h1>
<p class="info"><span>Penulis: {esc(story.authors[0])}</span> · <span>{pub.day:02d} {month} {pub.year}, {pub:%H:%M} {zone}</span></p>
<div class="isi">{body.html}</div>
<div class="label-berita">Label: {''.join(f'<a href="/label/{esc(t)}">{esc(t)}</a> ' for t in story.tags)}</div></main>
<aside>{sidebar(OTHER_STORIES)}</aside><footer>© 2026 suarawarga.id</footer></body></html>"""
    exp = record(url, story, text=body.text, published_at=iso(pub), site_name=None)
    return Page(html, exp, {"boilerplate": body.boilerplate + ["Penulis:"]})
