"""Item HTML -> the article's own text, without the boilerplate feeds wrap around it.

What is removed, and why it is ours rather than a library's (README, "Cleaning"): feed items
are fragments, not pages, so page-level extractors (trafilatura, jusText, readability)
either keep the lot or throw away short real paragraphs; what is left to remove is specific
to feeds and is listed here:

* elements: ``aside``, ``nav``, ``footer``, ``figure``/``figcaption``, ``form``, buttons;
* elements whose class or id names an ad, a share or subscribe block, a related-stories
  list, a byline, credits, tags or comments (``ad-slot``, ``sharedaddy``, ``jp-relatedposts``,
  ``newsletter-signup``, ``blogger-post-footer``…), unless it holds most of the text;
* "Related" / "Read more" / "Lesen Sie auch" / "相关阅读"… headings with the links under them,
  paragraphs and lists made only of links, "read more" links;
* lines: WordPress's (Yoast) "The post … appeared first on …" in every language it ships,
  "Continue reading" tails, copyright and photo-credit lines, bylines, tag lists;
* the start and end of news-agency copy: ``SEOUL (Reuters) -``, ``(서울=연합뉴스) 홍길동 기자
  =``, ``新华社北京11月25日电（记者 张三）``, ``责任编辑：``, ``来源：``, reporter e-mails.

``clean_article`` returns the text and a short record of what went (for ``feeds status``).
Its cost is linear in the markup (see ``bot.text.safe_markup``).
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import ahocorasick
import regex
from selectolax.lexbor import LexborHTMLParser, LexborNode

from bot.text import (
    looks_like_entity,
    looks_like_tag,
    safe_markup,
    strip_tags_linear,
    tidy_whitespace,
)

MAX_RECORD = 8  # entries in the record of what was removed
_RECORD_CHARS = 60
_MAX_PASSES = 3  # markup escaped up to twice


def _names(elements: str) -> frozenset[str]:
    return frozenset(elements.split(","))


_BLOCKS = _names(
    "p,div,br,li,ul,ol,dl,dt,dd,h1,h2,h3,h4,h5,h6,tr,td,th,table,blockquote,pre,section,"
    "article,header,footer,aside,figure,figcaption,hr,address,details,summary"
)
_DROPPED = ["script", "style", "noscript", "template", "iframe", "object", "svg", "button"]
_BOILERPLATE_ELEMENTS = _names("aside,nav,footer,figure,figcaption,form,menu,dialog")
_LABEL_ELEMENTS = _names("h1,h2,h3,h4,h5,h6,p,strong,b,span,dt")  # "Related:"
_LINK_ONLY_ELEMENTS = _names("p,li,ul,ol,dl,h1,h2,h3,h4,h5,h6,blockquote")

# class/id words (split at - and _) that name page furniture
_FURNITURE_WORDS = frozenset(
    {
        "ad", "ads", "adv", "advert", "adverts", "advertisement", "advertising", "adsense",
        "adslot", "dfp", "gpt", "sponsor", "sponsored", "sponsors", "promo", "promoted",
        "banner", "outbrain", "taboola", "related", "relatedposts", "recommended",
        "recommendations", "share", "shares", "sharing", "sharedaddy", "sharethis",
        "addtoany", "a2a", "social", "newsletter", "subscribe", "subscription", "signup",
        "byline", "copyright", "credit", "credits", "caption", "tags", "tagcloud",
        "feedflare", "comments", "breadcrumb", "breadcrumbs", "readmore", "morelink",
        "disclaimer", "author", "authors", "footer", "nav", "navigation", "toolbar", "popup",
    }
)  # fmt: skip
_CLASS_SPLIT = regex.compile(r"[\s_\-]+")
_MOST_OF_THE_TEXT = 0.6

_LABEL = (
    r"related(?: articles?| stories| posts| news| coverage| reading)?|read (?:more|also|next)"
    r"|see also|more from .{1,40}|more on (?:this|that)(?: story| topic)?|more stories"
    r"|recommended(?: for you)?|you may also like|you might also like|further reading"
    r"|also read|top stories|trending"
    r"|lesen sie auch|lesen sie mehr|mehr zum thema|auch interessant|weitere artikel"
    r"|das könnte sie auch interessieren|zum thema|siehe auch|mehr dazu"
    r"|à lire aussi|a lire aussi|lire aussi|sur le même sujet|voir aussi|à lire également"
    r"|lee también|leer más|te puede interesar|noticias relacionadas|también te puede interesar"
    r"|leggi anche|potrebbe interessarti|articoli correlati|leggi pure"
    r"|leia também|veja também|notícias relacionadas|saiba mais|leia mais"
    r"|lees ook|lees meer|gerelateerd|meer over dit onderwerp|ook interessant"
    r"|читайте также|по теме|смотрите также|читать также|похожие новости|связанные новости"
    r"|相关阅读|相关新闻|相关文章|延伸阅读|延伸閱讀|推荐阅读|推薦閱讀|相關新聞|相關閱讀"
    r"|関連記事|関連ニュース|あわせて読みたい|合わせて読みたい|こちらもおすすめ"
    r"|관련\s?기사|관련\s?뉴스|함께 보면 좋은 기사|추천 기사|많이 본 뉴스"
)
_LABEL_ONLY = regex.compile(rf"(?i)^\W*(?:{_LABEL})\s*[:：»›>\-–—]*\s*$")
_LABEL_START = regex.compile(rf"(?i)^\W*(?:{_LABEL})\s*[:：»›>\-–—]")


_MAY_HOLD_LINKS = regex.compile(r"(?i)<a(?![\w-])")

_READ_MORE = (
    r"read (?:more|the (?:full|rest of the) (?:story|article|post))|continue reading.{0,80}"
    r"|keep reading|full story|view (?:the )?(?:full )?article"
    r"|weiterlesen|mehr lesen|zum (?:vollständigen )?artikel|ganzen artikel lesen"
    r"|lire la suite|lire plus|la suite de l[’']article"
    r"|leer más|seguir leyendo|sigue leyendo|continuar leyendo"
    r"|leggi tutto|continua a leggere|leggi di più|leggi l[’']articolo"
    r"|leia mais|continue lendo|continuar lendo|ler mais"
    r"|lees meer|lees verder|verder lezen"
    r"|читать далее|читать дальше|читать полностью"
    r"|阅读全文|閱讀全文|阅读更多|閱讀更多|查看全文|点击查看全文|查看更多"
    r"|続きを読む|全文を読む|記事全文を読む"
    r"|기사 더보기|전체 기사 보기|기사 전문 보기|계속 읽기"
)
# a link that says only this goes: the phrases above, and shorter ones that are safe in a link
_READ_MORE_LINK = regex.compile(
    rf"(?i)^[\s\[(»›>→…]*(?:{_READ_MORE}|more|mehr|plus|más|altro|mais|meer|подробнее"
    rf"|далее|全文|もっと見る|더\s?보기|comments?|\d+ comments?|kommentare|commentaires"
    rf"|[…»→]|\.\.\.)[\s\])»›>→…:.!]*$"
)
_READ_MORE_LINE = regex.compile(rf"(?i)^[\s\[(»›>→…]*(?:{_READ_MORE})[\s\])»›>→…:.!]*$")
# as the end of a paragraph: only after the end of a sentence (or an ellipsis)
_READ_MORE_TAIL = regex.compile(
    rf"(?i)(?<=[.!?。！？…»”\]])\s*[\[(]*(?:{_READ_MORE})[\s\])»›>→…:.!]*$"
)

# Yoast SEO's feed footer, "The post %%POSTLINK%% appeared first on %%BLOGLINK%%.", as it is
# shipped in WordPress's languages, plus the usual hand-written forms.
_FIRST_APPEARED = regex.compile(
    r"(?i)(?:appeared first on|first appeared on|was first published on"
    r"|originally (?:appeared|published) (?:on|at|in)"
    r"|erschien zuerst auf|erschien zuerst bei|ist zuerst (?:auf|bei) .{1,80} erschienen"
    r"|est apparu en premier sur|a été publié en premier sur|est paru en premier sur"
    r"|se publicó primero en|apareció primero en|apareció por primera vez en"
    r"|proviene da|è apparso per la prima volta su|è stato pubblicato per la prima volta su"
    r"|apareceu primeiro em|foi publicado primeiro em|apareceu pela primeira vez em"
    r"|verscheen eerst op|verscheen als eerste op"
    r"|появились сначала на|появилась сначала на|впервые появилась на|впервые опубликовано на"
    r"|pojawił się najpierw na|pochodzi z serwisu|se poprvé objevil na"
    r"|đã xuất hiện đầu tiên|ilk olarak .{1,80} üzerinde (?:ortaya çıktı|yayınlandı)"
    r"|に最初に表示されました|最先出现在|最先出現在|首发于|首發於"
    r"|에 처음 등장했습니다|에 처음 게재되었습니다)"
)
_FIRST_APPEARED_START = regex.compile(
    r"(?i)(?:^|(?<=[\s.!?。！？]))(?:the post|this post|this article|der beitrag|dieser beitrag"
    r"|dieser artikel|der artikel|l[’']article|cet article|la entrada|el artículo|la publicación"
    r"|el post|l[’']articolo|il post|o post|a entrada|o artigo|het bericht|de post|dit artikel"
    r"|сообщение|запись|статья|wpis|artykuł|příspěvek|bài viết|yazı|投稿|文章|本文)"
)
_FIRST_APPEARED_REACH = 400  # characters between the start of the footer and its verb
_COPYRIGHT = regex.compile(
    r"(?i)^\W{0,3}(?:©|\(c\)\s*\d{4}|copyright\b|all rights reserved|alle rechte vorbehalten"
    r"|tous droits réservés|todos los derechos reservados|tutti i diritti riservati"
    r"|todos os direitos reservados|alle rechten voorbehouden|все права защищены"
    r"|版权所有|版權所有|未经授权|未經授權|無断転載|無断複製|저작권자|ⓒ|무단\s?전재)"
)
_COPYRIGHT_END = regex.compile(
    r"(?i)(?:all rights reserved|alle rechte vorbehalten|tous droits réservés|版权所有|無断転載禁止"
    r"|무단\s?전재.{0,30}금지)\W{0,3}$"
)
_PHOTO_CREDIT = regex.compile(
    r"(?i)^\W{0,3}(?:photo|photos|image|images|picture|pictures|foto|fotos|bild|bilder|crédit"
    r"|credit|source de l[’']image|imagen|immagine|фото|图片来源|圖片來源|图片|图源|写真|画像"
    r"|사진|자료사진)(?:\s*(?:credits?|photos?|de la photo|fotografico|da foto))?"
    r"\s*(?:[:：=/]|by\b|von\b|de\b|©).{0,120}$"
    r"|^\W{0,2}\((?:photo|image|picture|foto|bild) (?:by|credit|von|de)\b.{0,120}\)\W{0,2}$"
)
_PHOTO_CREDIT_END = regex.compile(
    r"(?i)(?:getty images|shutterstock|istock(?:photo)?|reuters/[\w ]+|afp via getty)\W{0,3}$"
)
_END_WINDOW = 80  # how far from the end of a line its closing credit may start
_CAPTION = regex.compile(
    r"^\W{0,2}(?:图为|圖為|图片为|圖片為|上图|下图|写真は|写真＝|사진은|사진설명)"
    r"|[（(](?:资料图|資料圖|资料图片|資料圖片|图片来源[^）)]{0,30}|写真[^）)]{0,20}|자료사진|사진[^)]{0,20})[）)]\W{0,2}$"
)
_TAG_LINE = regex.compile(
    r"(?i)^\W{0,3}(?:tags|tagged(?: with)?|filed under|topics|schlagwörter|schlagworte"
    r"|themen|étiquettes|mots-clés|etiquetas|temas|tag|argomenti|etiquetas|trefwoorden"
    r"|теги|метки|标签|標籤|关键词|タグ|키워드|태그)\s*[:：].{0,300}$"
)
_BYLINE = regex.compile(
    r"^(?:By|BY|Von|VON|Par|PAR|Por|POR|Di|Door|Av|Автор|От|Texte|Text|Reporting by"
    r"|Writing by|Editing by|Written by)[:\s]+\p{Lu}[\p{L}.'’-]*(?:\s+(?:\p{Lu}[\p{L}.'’-]*"
    r"|and|und|et|y|e|en|и|&|,|von|van|de|der|da|di|le|la))*(?:\s*[,|·•/–—-]\s*[^.!?]{0,60})?$"
)
_CALL_TO_ACTION = regex.compile(
    r"(?i)^\W{0,3}(?:【PR】|\[PR\]|\(PR\)|PR[:：]|【広告】|【广告】|\[광고\]|\(광고\)|\[AD\]|【AD】"
    r"|click here|tap here|subscribe (?:to|now|for)|sign up (?:for|to|now)"
    r"|follow us (?:on|at)|join us on|download (?:our|the) app|get the app|like us on"
    r"|share this|share on|watch:|listen:|sponsored\b|advertisement\b|anzeige\b|werbung\b"
    r"|abonnieren sie|jetzt abonnieren|folgen sie uns|abonnez-vous|suivez-nous|suscríbete"
    r"|síguenos|iscriviti|seguici|assine|siga-nos|abonneer|volg ons|подписывайтесь"
    r"|подпишитесь|关注我们|扫码|点击关注|フォローして|구독|좋아요)"
)
_REPORTING_CREDIT = regex.compile(
    r"^\((?:Reporting|Additional reporting|Writing|Editing|Compiled) by [^()]{2,200}\)$"
)

# News-agency openings: "SEOUL, Nov 25 (Reuters) -", "BERLIN (dpa) -",
# "(서울=연합뉴스) 홍길동 기자 =", "新华社北京11月25日电（记者 张三）", "【新華社】".
_AGENCIES = (
    r"Reuters|AP|AFP|dpa|Bloomberg|Yonhap|Xinhua|Kyodo|ANSA|EFE|APA|SDA|KNA|epd|AFX|IANS|PTI"
    r"|Agence France-Presse|Associated Press|dpa-AFX|TASS|RIA Novosti|Interfax"
    r"|GLOBE NEWSWIRE|PRNewswire|PR Newswire|BUSINESS WIRE|Business Wire|ACCESSWIRE|ots"
)
_DATELINE = regex.compile(
    rf"^[\p{{Lu}}][\p{{L}}\d .,'/-]{{1,60}}?\s*"
    rf"\((?:{_AGENCIES})(?:/[^()]{{1,30}})?\)\s*[-–—:]+\s*"
    rf"|^\((?:{_AGENCIES})\)\s*[-–—:]+\s*"
)
_KOREAN_DATELINE = regex.compile(
    r"^\s*(?:[\(\[【〔][^()\[\]【】〔〕]{1,40}[=＝][^()\[\]【】〔〕]{0,40}[\)\]】〕]\s*)"
    r"(?:[\p{Hangul}\s·,]{2,30}?(?:기자|특파원|통신원|객원기자|리포터)\s*[=＝]?\s*)?"
    r"|^\s*[\p{Hangul}·,\s]{2,30}?(?:기자|특파원)\s*[=＝]\s*"
)
_CHINESE_DATELINE = regex.compile(
    r"^\s*(?:(?:新华社|新華社|中新社|中新网|人民网|央视新闻|本报|本報|财联社|財聯社|澎湃新闻|界面新闻)"
    r"[^，。（(]{0,20}?(?:电|電|讯|訊)\s*)?[（(](?:记者|記者|通讯员|通訊員)[^）)]{1,40}[）)]\s*"
    r"|^\s*(?:新华社|新華社|中新社|中新网)[^，。]{0,20}?(?:电|電)\s*"
    r"|^\s*【[^】]{1,30}】\s*"
    r"|^\s*(?:本报记者|本報記者|记者|記者|通讯员|通訊員)\s*[^，。\s]{2,4}(?:\s+[^，。\s]{2,4})?"
    r"\s*(?:[^，。\s]{2,6}\s*)?(?:报道|報導|报导|报讯|報訊)\s*"
)
_TRAILING_CREDITS = regex.compile(
    r"(?:^|(?<=[\s。！？.)）」]))(?:[（(](?:完|记者[^）)]{1,30}|編集[^）)]{0,30}|编辑[^）)]{0,30}"
    r"|责任编辑[^）)]{0,30}|責任編輯[^）)]{0,30}|来源[^）)]{0,30}|來源[^）)]{0,30})[）)]"
    r"|\((?:Reporting|Additional reporting|Writing|Editing|Compiled) by [^()]{2,200}\)"
    r"|(?:사진|자료사진)\s*[=＝].{0,40}"
    r"|(?:图片来源|圖片來源|图源|图片|責任編輯|责任编辑|编辑|編輯|校对|校對|审核|審核|来源|來源"
    r"|原标题|原標題|记者|文|图|圖)"
    r"\s*[:：|丨].{0,60}"
    r"|[\p{Hangul}]{2,4}\s*(?:기자|특파원)\s*[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|[<〈<\[]\s*(?:저작권자|ⓒ|©|Copyright)[^>〉>\]]{0,80}[>〉>\]])\s*$"
)
# The line rules are many alternations; a text runs only those whose words it contains
# (one Aho-Corasick pass over the lower-cased text finds them).
_TRIGGERS = {
    # each alternative of _FIRST_APPEARED holds one of these ("first" alone, in most English
    # texts, ran that expression over every line for nothing)
    "first appeared": (
        "appeared", "first published", "erschien", "zuerst", "apparu", "publié", "paru en",
        "publicó", "apareció", "proviene da", "apparso", "pubblicato", "apareceu", "publicado",
        "verscheen", "появил", "впервые", "pojawił", "pochodzi", "poprvé", "xuất hiện",
        "ilk olarak", "最初に表示", "最先出", "首发", "首發", "처음 등장", "처음 게재",
        "originally",
    ),
    "read more": (
        "read", "continue", "keep reading", "full story", "view", "weiterlesen", "mehr lesen",
        "artikel", "lire", "suite", "leer", "leyendo", "leggi", "leggere", "leia", "lendo",
        "ler mais", "lees", "lezen", "читать", "阅读", "閱讀", "查看", "続き", "全文", "기사",
        "계속",
    ),
    "credits": (
        "(reporting", "(additional", "(writing", "(editing", "(compiled", "사진", "图", "圖",
        "编辑", "編輯", "校对", "校對", "审核", "審核", "来源", "來源", "原标题", "原標題", "记者",
        "文", "@", "完", "저작권", "ⓒ", "©", "copyright", "기자", "특파원",
    ),
    "copyright end": ("reserved", "vorbehalten", "réservés", "版权所有", "無断転載", "전재"),
    "credit end": ("getty", "shutterstock", "istock", "reuters/", "afp"),
}  # fmt: skip


def _trigger_automaton() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for family, words in _TRIGGERS.items():
        for word in words:
            families = automaton.get(word, frozenset())
            automaton.add_word(word, families | {family})
    automaton.make_automaton()
    return automaton


_TRIGGER_AUTOMATON = _trigger_automaton()


def _families(text: str) -> frozenset[str]:
    found: set[str] = set()
    for _end, families in _TRIGGER_AUTOMATON.iter(text.lower()):
        found.update(families)
    return frozenset(found)


_LINK_ONLY_JUNK = regex.compile(
    r"[\s|·•,;:/»«›‹>\-–—()\[\]]+|(?<!\w)(?:and|und|et|y|e|o|или)(?!\w)|和|、"
)


@dataclass(frozen=True, slots=True)
class Cleaned:
    """An item's text and a short record of what was removed from it (for debugging)."""

    text: str
    removed: tuple[str, ...] = ()


class _Record:
    def __init__(self) -> None:
        self.entries: list[str] = []
        self.count = 0

    def add(self, kind: str, text: str) -> None:
        text = " ".join(text.split())
        if not text:
            return
        self.count += 1
        if len(self.entries) < MAX_RECORD:
            short = text if len(text) <= _RECORD_CHARS else text[: _RECORD_CHARS - 1] + "…"
            self.entries.append(f"{kind}: {short}")

    def result(self) -> tuple[str, ...]:
        extra = self.count - len(self.entries)
        return (*self.entries, f"… and {extra} more") if extra > 0 else tuple(self.entries)


def clean_article(markup: str) -> Cleaned:
    """The article text of an item body (HTML, escaped HTML or plain text), boilerplate
    removed, with the record of what was removed."""
    record = _Record()
    text = markup
    for _ in range(_MAX_PASSES):
        if "<" not in text and "&" not in text:
            break
        if looks_like_tag(text):
            safe = safe_markup(text)
            text = strip_tags_linear(text) if safe is None else _clean_tree(safe, record)
        elif looks_like_entity(text):
            text = html.unescape(text)
        else:
            break
    text = _clean_lines(tidy_whitespace(text), record)
    return Cleaned(text, record.result())


# -------------------------------------------------------------------------------- the tree


def _clean_tree(markup: str, record: _Record) -> str:
    tree = LexborHTMLParser(markup)
    tree.strip_tags(_DROPPED)
    root = tree.body
    if root is None:
        return ""
    total = len(root.text(deep=True, separator="").strip()) or 1
    # one walk instead of a selector query per pass (each costs as much as the walk); the
    # passes see the elements in document order, as a query would, and skip those an
    # earlier removal took out of the tree (``_remove`` and the label pass check)
    elements = [node for node in root.traverse() if node.tag != "-comment"]
    for node in elements:
        if node.tag in _BOILERPLATE_ELEMENTS:
            _remove(node, node.tag or "element", record, total)
    for node in elements:
        attributes = node.attributes
        if "class" in attributes or "id" in attributes:
            words = _CLASS_SPLIT.split(f"{attributes.get('class') or ''} {node.id or ''}")
            if any(word.lower() in _FURNITURE_WORDS for word in words):
                _remove(node, "furniture", record, total)
    links = _MAY_HOLD_LINKS.search(markup) is not None  # most items are a few paragraphs
    if links:
        for node in elements:
            if node.tag == "a" and _READ_MORE_LINK.match(
                node.text(deep=True, separator="").strip()
            ):
                _remove(node, "read more", record, total)
    for node in elements:
        if node.tag in _LABEL_ELEMENTS:
            _remove_labelled_list(node, record, total)
    if links:  # a block made only of links needs one
        for node in elements:
            if node.tag in _LINK_ONLY_ELEMENTS and _attached(node) and _is_link_only(node):
                _remove(node, "links", record, total)
    for node in [node for node in root.traverse() if node.tag in _BLOCKS]:
        node.insert_before("\n")  # a block starts a line, even after loose text
        node.insert_after("\n")
    return root.text(separator="")


def _attached(node: LexborNode) -> bool:
    current: LexborNode | None = node
    while current is not None:
        if current.tag == "html":
            return True
        current = current.parent
    return False


def _remove(node: LexborNode, kind: str, record: _Record, total: int) -> bool:
    """Remove ``node`` unless it is already gone or holds most of the text."""
    if not _attached(node):
        return False
    text = node.text(deep=True, separator=" ")
    if len(text.strip()) > _MOST_OF_THE_TEXT * total and (total > 200 or kind == "links"):
        return False  # a wrapper with a furniture class, or links that are all there is
    record.add(kind, text)
    node.remove()
    return True


def _remove_labelled_list(node: LexborNode, record: _Record, total: int) -> None:
    """A "Related:" / "Lesen Sie auch:" label: it goes, with the links that follow it."""
    if not _attached(node):
        return
    text = node.text(deep=True, separator="").strip()
    if not text or len(text) > 200:
        return
    if _LABEL_ONLY.match(text):
        following = node.next
        while following is not None and following.tag == "-text" and not following.text().strip():
            following = following.next
        label = node
        if node.tag in ("strong", "b", "span") and node.parent is not None:
            parent_text = node.parent.text(deep=True, separator="").strip()
            if parent_text == text:
                label = node.parent
                following = label.next
                while (
                    following is not None
                    and following.tag == "-text"
                    and not (following.text().strip())
                ):
                    following = following.next
            elif _is_link_only(node.parent, skip=text):
                _remove(node.parent, "related", record, total)
                return
        if following is not None and (
            following.tag in ("ul", "ol", "dl") or _is_link_only(following)
        ):
            _remove(following, "related", record, total)
        _remove(label, "related", record, total)
    elif _LABEL_START.match(text) and _is_link_only(node, skip=_LABEL_START.match(text).group(0)):
        _remove(node, "related", record, total)


_LINK_BLOCKS = frozenset(
    ("p", "li", "ul", "ol", "dl", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
     "span", "strong", "b", "dd", "dt")
)  # fmt: skip


def _is_link_only(node: LexborNode, skip: str = "") -> bool:
    """Whether the text of ``node`` is all inside links (separators and ``skip`` aside); a
    list item may add a source name to a linked headline (Google News clusters)."""
    if node.tag not in _LINK_BLOCKS:
        return False
    outside, links = _text_outside_links(node)
    if not links:
        return False
    if skip:
        outside = outside.replace(skip, "", 1)
    rest = _words_outside_links(outside, node.tag == "li")
    if not rest:
        return True
    if node.tag == "li" and len(rest) <= _SHORT_REST and sum(map(len, rest)) <= _SHORT_REST_CHARS:
        linked = node.text(deep=True, separator=" ").split()
        return len(linked) - len(rest) >= 4  # a headline, not "Revenue: <a>$60 billion</a>"
    return False


_CONJUNCTIONS = frozenset(("and", "und", "et", "y", "e", "o", "или"))
_WORD_CHARACTERS = regex.compile(r"\w+")
_SHORT_REST = 3  # words a list item may add to its links (and their characters, below)
_SHORT_REST_CHARS = 30


def _words_outside_links(outside: str, short_rest_counts: bool) -> list[str]:
    """``_LINK_ONLY_JUNK.sub(" ", outside).split()``, or when that is sure to be long (more
    than a list item may add to its links) only its first words: a paragraph of prose
    answers at its first word instead of running the expression over all of it.

    A word of word characters alone (``\\w``), without 和 and not a conjunction, is untouched
    by the expression (it holds no separator, and a conjunction must stand alone), so it is
    one word of the result as it stands."""
    plain: list[str] = []
    chars = 0
    for word in outside.split():
        if word not in _CONJUNCTIONS and (
            (word.isascii() and word.isalnum())
            or (_WORD_CHARACTERS.fullmatch(word) is not None and "和" not in word)
        ):
            plain.append(word)
            chars += len(word)
            if not short_rest_counts or len(plain) > _SHORT_REST or chars > _SHORT_REST_CHARS:
                return plain
    rest: list[str] = _LINK_ONLY_JUNK.sub(" ", outside).split()
    return rest


def _text_outside_links(node: LexborNode) -> tuple[str, int]:
    """The text of ``node`` that is not inside a link, and how many links it holds; one
    walk over the subtree."""
    parts: list[str] = []
    links = 0
    pending: list[LexborNode] = [node.child] if node.child is not None else []
    while pending:
        current = pending.pop()
        if current.next is not None:
            pending.append(current.next)
        if current.tag == "a":
            links += 1
        elif current.tag == "-text":
            parts.append(current.text_content or "")
        elif current.child is not None:
            pending.append(current.child)
    return "".join(parts), links


# ------------------------------------------------------------------------------- the lines


def _clean_lines(text: str, record: _Record) -> str:
    lines = text.split("\n")
    present = _families(text)
    kept: list[str] = []
    for number, line in enumerate(lines):
        line = line.strip()
        if number == 0 or not kept:
            line = _strip_dateline(line, record)
        if not line:
            continue
        kind = _boilerplate_line(line, present)
        if kind:
            record.add(kind, line)
            continue
        line = _strip_tails(line, record, present)
        if line:
            kept.append(line)
    return "\n".join(kept)


def _boilerplate_line(line: str, present: frozenset[str]) -> str | None:
    if len(line) > 400:
        return None
    end = max(0, len(line) - _END_WINDOW)
    if _COPYRIGHT.match(line) or ("copyright end" in present and _COPYRIGHT_END.search(line, end)):
        return "copyright"
    if _PHOTO_CREDIT.match(line) or (
        "credit end" in present and _PHOTO_CREDIT_END.search(line, end)
    ):
        return "credit"
    if _TAG_LINE.match(line):
        return "tags"
    if len(line) <= 200 and _may_be_caption(line) and _CAPTION.search(line):
        return "caption"
    if len(line) <= 80 and _BYLINE.match(line):
        return "byline"
    if _REPORTING_CREDIT.match(line):
        return "byline"
    if _LABEL_ONLY.match(line) or _READ_MORE_LINE.match(line):
        return "read more"
    if len(line) <= 200 and _CALL_TO_ACTION.match(line):
        return "call to action"
    return None


def boilerplate_kind(sentence: str) -> str | None:
    """What kind of boilerplate a sentence or line is ("copyright", "byline", "read
    more"…), or None for a sentence of the article."""
    return _boilerplate_line(sentence.strip(), _families(sentence))


def _strip_dateline(line: str, record: _Record) -> str:
    """The line without its opening dateline or byline (nothing, if that is all it is)."""
    for pattern in _datelines(line):
        found = pattern.match(line)
        if found and found.group(0).strip():
            record.add("dateline", found.group(0))
            return line[found.end() :].lstrip()
    return line


def _may_be_caption(line: str) -> bool:
    """Every alternative of _CAPTION holds Han or Hangul characters."""
    return not line.isascii()


def _datelines(line: str) -> tuple[regex.Pattern[str], ...]:
    """The dateline expressions that can match ``line``: an agency's needs its "(", a
    Korean one a bracket or 기자/특파원, a Chinese one Han characters (what each requires)."""
    if line.isascii():
        korean = line.lstrip()[:1] in ("(", "[")
        return (_DATELINE, _KOREAN_DATELINE) if korean else (_DATELINE,) if "(" in line else ()
    return (_DATELINE, _KOREAN_DATELINE, _CHINESE_DATELINE)


def _strip_tails(line: str, record: _Record, present: frozenset[str]) -> str:
    if "first appeared" in present and _in_window("first appeared", line, _FIRST_APPEARED_WINDOW):
        line = _strip_first_appeared(line, record)
    for kind, pattern, window in (
        ("read more", _READ_MORE_TAIL, 150),
        ("credits", _TRAILING_CREDITS, 300),
    ):
        if kind not in present or not _in_window(kind, line, window):
            continue
        found = pattern.search(line, max(0, len(line) - window))
        if found:
            record.add(kind, found.group(0))
            line = line[: found.start()].rstrip()
    return line


def _in_window(family: str, line: str, window: int) -> bool:
    """Whether the last ``window`` characters of ``line`` hold a word of ``family``: the
    tail expressions, each an alternation searched from every position of that window,
    run only on the lines where they can match (each alternative holds such a word)."""
    words = _WINDOW_TRIGGERS[family]
    for _end, families in _TRIGGER_AUTOMATON.iter(line[-window:].casefold()):
        if family in families:
            return True
    return any(word in line[-window:] for word in words)


# beyond _TRIGGERS: 編集 (in _TRAILING_CREDITS, but no trigger word of the whole text)
_WINDOW_TRIGGERS = {"first appeared": (), "read more": (), "credits": ("編集",)}
_FIRST_APPEARED_WINDOW = 2 * _FIRST_APPEARED_REACH


def _strip_first_appeared(line: str, record: _Record) -> str:
    """ "The post <title> appeared first on <site>." goes, from "The post" on; without a
    known opening, from the start of its sentence."""
    verb = _FIRST_APPEARED.search(line, max(0, len(line) - _FIRST_APPEARED_WINDOW))
    if verb is None:
        return line
    reach = max(0, verb.start() - _FIRST_APPEARED_REACH)
    openings = list(_FIRST_APPEARED_START.finditer(line, reach, verb.start()))
    if openings:
        start = openings[-1].start()
    else:
        boundary = max(line.rfind(mark, reach, verb.start()) for mark in ".!?。！？")
        start = boundary + 1 if boundary >= 0 else 0
    record.add("first appeared", line[start:])
    return line[:start].rstrip()
