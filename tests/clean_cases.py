"""Feed-item bodies with what must stay and what must go: the cleaning tests and the
library comparison (bench/clean_compare.py) read the same cases.

Each case is (name, markup, keep, drop): every string of ``keep`` must be in the cleaned
text, no string of ``drop`` may be. The shapes are those of real feeds (WordPress with Yoast,
Blogger, FeedBurner, news agencies, Korean and Chinese portals, Google News)."""

from __future__ import annotations

Case = tuple[str, str, tuple[str, ...], tuple[str, ...]]

LEAD = "Samsung Electronics said on Tuesday it would invest $10 billion in a chip plant in Texas."
SECOND = "The plant will make Exynos processors for electric vehicles from 2027."

CASES: list[Case] = [
    (
        "wordpress yoast en",
        f"<p>{LEAD}</p><p>{SECOND}</p><p>The post <a href='https://t.example/a'>Samsung to "
        "build $10bn chip plant. Really?</a> appeared first on <a href='https://t.example'>"
        "TechWire</a>.</p>",
        (LEAD, SECOND),
        ("appeared first on", "TechWire", "The post"),
    ),
    (
        "wordpress yoast de",
        "<p>Xiaomi hat ein neues Elektroauto vorgestellt.</p><p>Der Beitrag <a href='x'>Xiaomi "
        "zeigt E-Auto</a> erschien zuerst auf <a href='y'>inside digital</a>.</p>",
        ("Xiaomi hat ein neues Elektroauto vorgestellt.",),
        ("erschien zuerst", "inside digital", "Der Beitrag"),
    ),
    (
        "wordpress yoast fr plain text",
        "Xiaomi présente sa voiture électrique à Pékin. L’article Essai : Xiaomi SU7 est apparu "
        "en premier sur BlogAutomobile.",
        ("Xiaomi présente sa voiture électrique à Pékin.",),
        ("apparu en premier", "BlogAutomobile", "L’article"),
    ),
    (
        "wordpress yoast es",
        "<p>Samsung lanza un nuevo teléfono plegable.</p><p>La entrada <a>Samsung lanza el "
        "Galaxy Z Fold 8</a> se publicó primero en <a>Xataka</a>.</p>",
        ("Samsung lanza un nuevo teléfono plegable.",),
        ("se publicó primero", "Xataka"),
    ),
    (
        "wordpress yoast it",
        "<p>Xiaomi ha presentato il suo nuovo SUV elettrico.</p><p>L'articolo <a>Xiaomi YU7</a>"
        " proviene da <a>HDblog</a>.</p>",
        ("Xiaomi ha presentato il suo nuovo SUV elettrico.",),
        ("proviene da", "HDblog"),
    ),
    (
        "wordpress yoast pt",
        "<p>A Samsung anunciou um novo chip Exynos.</p><p>O post <a>Samsung anuncia Exynos</a> "
        "apareceu primeiro em <a>Tecnoblog</a>.</p>",
        ("A Samsung anunciou um novo chip Exynos.",),
        ("apareceu primeiro", "Tecnoblog"),
    ),
    (
        "wordpress yoast nl",
        "<p>Samsung brengt een nieuwe telefoon uit.</p><p>Het bericht <a>Samsung Galaxy S26</a> "
        "verscheen eerst op <a>Tweakers</a>.</p>",
        ("Samsung brengt een nieuwe telefoon uit.",),
        ("verscheen eerst", "Tweakers"),
    ),
    (
        "wordpress yoast ru",
        "<p>Самсунг представил новый процессор.</p><p>Сообщение <a>Самсунг Exynos 2600</a> "
        "появились сначала на <a>iXBT</a>.</p>",
        ("Самсунг представил новый процессор.",),
        ("появились сначала", "iXBT"),
    ),
    (
        "wordpress yoast ja",
        "<p>サムスンは新しいチップを発表した。</p><p>投稿 <a>サムスンの新チップ</a> は "
        "<a>ガジェット通信</a> に最初に表示されました。</p>",
        ("サムスンは新しいチップを発表した。",),
        ("最初に表示されました", "ガジェット通信"),
    ),
    (
        "read more tails",
        "<p>Samsung unveils the Galaxy S26 with a new Exynos chip. "
        "<a href='x'>Read more »</a></p>"
        "<p>Xiaomi kündigt ein E-Auto an. <a href='y'>Weiterlesen</a></p>"
        "<p>Xiaomi dévoile une voiture. <a href='z'>Lire la suite</a></p>"
        "<p>Samsung presenta un chip. <a>Leer más</a></p>"
        "<p>Xiaomi presenta un'auto. <a>Leggi tutto</a></p>"
        "<p>Samsung lança um chip. <a>Leia mais</a></p>"
        "<p>Xiaomi toont een auto. <a>Lees verder</a></p>"
        "<p>Самсунг показал чип. <a>Читать далее</a></p>"
        "<p>小米发布了汽车。<a>阅读全文</a></p>"
        "<p>サムスンが発表。<a>続きを読む</a></p>"
        "<p>삼성이 발표했다. <a>기사 더보기</a></p>",
        (
            "Samsung unveils the Galaxy S26 with a new Exynos chip.",
            "Xiaomi kündigt ein E-Auto an.",
            "Xiaomi dévoile une voiture.",
            "小米发布了汽车。",
            "삼성이 발표했다.",
        ),
        (
            "Read more",
            "Weiterlesen",
            "Lire la suite",
            "Leer más",
            "Leggi tutto",
            "Leia mais",
            "Lees verder",
            "Читать далее",
            "阅读全文",
            "続きを読む",
            "기사 더보기",
        ),
    ),
    (
        "continue reading tail in plain text",
        "Xiaomi said its SU7 sold 10,000 units in a day […] Continue reading Xiaomi SU7 sales →",
        ("Xiaomi said its SU7 sold 10,000 units in a day",),
        ("Continue reading",),
    ),
    (
        "aside related",
        f"<p>{LEAD}</p><aside><h3>Related</h3><ul><li><a href='x'>Xiaomi opens EV factory</a>"
        "</li><li><a href='y'>Tesla cuts prices</a></li></ul></aside><p>" + SECOND + "</p>",
        (LEAD, SECOND),
        ("Xiaomi opens EV factory", "Tesla cuts prices", "Related"),
    ),
    (
        "related label and list without aside",
        f"<p>{LEAD}</p><p><strong>Read more:</strong></p><ul><li><a>Xiaomi EV review</a></li>"
        "<li><a>Huawei's new chip</a></li></ul>"
        "<p>Lesen Sie auch: <a>Xiaomi baut Werk</a></p>"
        "<p>相关阅读：<a>小米汽车发布</a></p>",
        (LEAD,),
        ("Xiaomi EV review", "Huawei's new chip", "Xiaomi baut Werk", "小米汽车发布", "Read more"),
    ),
    (
        "share and subscribe blocks",
        f"<p>{LEAD}</p><div class='sharedaddy sd-sharing-enabled'><h3>Share this:</h3><ul>"
        "<li><a>Twitter</a></li><li><a>Facebook</a></li></ul></div>"
        "<div class='newsletter-signup'><p>Subscribe to our newsletter for the best Samsung "
        "deals every week.</p></div>",
        (LEAD,),
        ("Share this", "Facebook", "Subscribe to our newsletter"),
    ),
    (
        "ads by class and id",
        f"<p>{LEAD}</p><div class='ad-container'><p>Advertisement: Xiaomi Redmi Note at 99 "
        "euros</p></div><div id='div-gpt-ad-1234'>Huawei Mate sale</div>"
        "<p class='sponsored-content'>Sponsored: buy an EV charger today</p><p>" + SECOND + "</p>",
        (LEAD, SECOND),
        ("Advertisement", "Huawei Mate sale", "EV charger"),
    ),
    (
        "words that only look like furniture classes",
        "<div class='article-body entry-content'><p class='lead-paragraph'>Samsung's market "
        "share rose to 20% as it shared more of its roadmap.</p><p class='shadow badge'>"
        "Xiaomi said it would add a new plant.</p></div>",
        (
            "Samsung's market share rose to 20% as it shared more of its roadmap.",
            "Xiaomi said it would add a new plant.",
        ),
        (),
    ),
    (
        "figure credits",
        "<figure><img src='x.jpg'><figcaption>Samsung's headquarters in Seoul. Photo: Jane Doe"
        f"/Reuters</figcaption></figure><p>{LEAD}</p>"
        "<div class='wp-caption'><img src='y.jpg'><p class='wp-caption-text'>Xiaomi SU7 "
        "(Image: Xiaomi)</p></div>",
        (LEAD,),
        ("Photo: Jane Doe", "headquarters in Seoul", "Image: Xiaomi"),
    ),
    (
        "korean agency dateline and tail",
        "<p>(서울=연합뉴스) 김철수 기자 = 삼성전자가 25일 새로운 엑시노스 칩을 공개했다.</p>"
        "<p>삼성전자는 이 칩을 전기차에 탑재할 계획이다.</p>"
        "<p>kim@yna.co.kr</p>"
        "<p>&lt;저작권자(c) 연합뉴스, 무단 전재-재배포, AI 학습 및 활용 금지&gt;</p>",
        (
            "삼성전자가 25일 새로운 엑시노스 칩을 공개했다.",
            "삼성전자는 이 칩을 전기차에 탑재할 계획이다.",
        ),
        ("서울=연합뉴스", "김철수 기자", "kim@yna.co.kr", "무단 전재"),
    ),
    (
        "korean byline in brackets",
        "[헤럴드경제=박영희 기자] 샤오미가 새로운 전기차를 공개했다. 사진=샤오미 제공",
        ("샤오미가 새로운 전기차를 공개했다.",),
        ("헤럴드경제", "박영희 기자", "사진=샤오미"),
    ),
    (
        "chinese agency dateline and editor",
        "<p>新华社北京11月25日电（记者张三）小米集团25日发布了新款电动汽车。</p>"
        "<p>该车型售价为21.59万元。（完）</p><p>责任编辑：李四</p><p>来源：新浪科技</p>",
        ("小米集团25日发布了新款电动汽车。", "该车型售价为21.59万元。"),
        ("新华社北京", "记者张三", "责任编辑", "李四", "来源", "新浪科技", "（完）"),
    ),
    (
        "chinese reporter in text",
        "（记者 王五）华为今天发布了麒麟芯片。 图片来源：华为官网",
        ("华为今天发布了麒麟芯片。",),
        ("记者", "王五", "图片来源"),
    ),
    (
        "english agency dateline",
        "SEOUL, Nov 25 (Reuters) - Samsung Electronics said on Tuesday its profit rose 20%. "
        "(Reporting by Joyce Lee; Editing by Jane Doe)",
        ("Samsung Electronics said on Tuesday its profit rose 20%.",),
        ("(Reuters)", "SEOUL", "Reporting by", "Editing by"),
    ),
    (
        "german agency dateline",
        "BERLIN (dpa) - Xiaomi will in Deutschland Elektroautos verkaufen.",
        ("Xiaomi will in Deutschland Elektroautos verkaufen.",),
        ("(dpa)", "BERLIN"),
    ),
    (
        "bylines and copyright",
        f"<p class='byline'>By Jane Doe</p><p>By John Smith, Reuters</p><p>{LEAD}</p>"
        "<p>By contrast, Xiaomi's profit fell 5% in the quarter.</p>"
        "<p>© 2026 TechWire. All rights reserved.</p><p>Copyright 2026 Example Media</p>"
        "<p>Alle Rechte vorbehalten.</p>",
        (LEAD, "By contrast, Xiaomi's profit fell 5% in the quarter."),
        ("Jane Doe", "John Smith", "All rights reserved", "Example Media", "Alle Rechte"),
    ),
    (
        "link-only paragraphs and breadcrumbs",
        "<nav><a>Home</a> › <a>Tech</a> › <a>Samsung</a></nav>"
        f"<p>{LEAD}</p><p><a href='a'>Xiaomi SU7 review</a> | <a href='b'>Tesla Model 3 "
        "review</a></p><p>Samsung said <a href='c'>its results</a> beat forecasts.</p>",
        (LEAD, "Samsung said its results beat forecasts."),
        ("Xiaomi SU7 review", "Tesla Model 3", "Home"),
    ),
    (
        "tag lists and footers",
        f"<p>{LEAD}</p><footer><p>Filed under: Xiaomi, Huawei</p></footer>"
        "<p>Tags: Xiaomi, Huawei, EV</p><p>Schlagwörter: Huawei, Xiaomi</p><p>标签：小米</p>",
        (LEAD,),
        ("Filed under", "Tags:", "Schlagwörter", "标签", "Huawei"),
    ),
    (
        "blogger footer and feedburner flare",
        f"<p>{LEAD}</p><div class='blogger-post-footer'>Follow us on Xiaomi Fans Club</div>"
        "<div class='feedflare'><a href='x'>Share on Facebook</a> <a href='y'>Email this</a></div>"
        "<img src='http://feeds.feedburner.com/~r/example/~4/abc' height='1' width='1'/>",
        (LEAD,),
        ("Xiaomi Fans Club", "Share on Facebook", "Email this"),
    ),
    (
        "comments link and reddit tail",
        f"<p>{LEAD}</p><p><a href='https://t.example/a#comments'>3 Comments</a></p>"
        "<p>submitted by <a>/u/someone</a> <br/> <span><a>[link]</a></span> "
        "<span><a>[comments]</a></span></p>",
        (LEAD,),
        ("3 Comments", "[comments]"),
    ),
    (
        "photo credit lines",
        f"<p>{LEAD}</p><p>Photo: Jane Doe/Getty Images</p><p>Foto: dpa</p>"
        "<p>(Photo by John Doe/Getty Images)</p><p>写真：ロイター</p><p>사진=삼성전자 제공</p>",
        (LEAD,),
        ("Jane Doe", "Foto: dpa", "Getty", "ロイター", "사진"),
    ),
    (
        "japanese related list",
        "<p>シャオミは新型EVを発表した。</p><h3>関連記事</h3><ul><li><a>ファーウェイの新チップ</a>"
        "</li><li><a>テスラの値下げ</a></li></ul>",
        ("シャオミは新型EVを発表した。",),
        ("関連記事", "ファーウェイ", "テスラ"),
    ),
    (
        "chinese reporter line and parenthesized editor",
        "<p>本报记者 张伟 上海报道</p><p>华为发布了新款芯片，性能提升三成。（责任编辑：李明）</p>"
        "<p>图为华为深圳总部的展厅（资料图）</p>",
        ("华为发布了新款芯片，性能提升三成。",),
        ("本报记者", "张伟", "责任编辑", "李明", "资料图", "展厅"),
    ),
    (
        "ad lines and french photo credit",
        "<div><i>Crédit photo : Renault</i></div>Renault a présenté la nouvelle R4 électrique."
        "<p>【PR】中古車の買取なら「カーマート」へ</p><p>[광고] 전기차 충전 카드 혜택</p>",
        ("Renault a présenté la nouvelle R4 électrique.",),
        ("Crédit photo", "カーマート", "충전 카드"),
    ),
    (
        "google news cluster of other outlets' headlines",
        "<ol><li><a href='a'>Samsung opens chip plant in Texas</a>&nbsp;&nbsp;<font>Wire One"
        "</font></li><li><a href='b'>Samsung's Texas fab starts production</a>&nbsp;&nbsp;<font>"
        "Chip-Kurier</font></li></ol>",
        (),
        ("Samsung's Texas fab", "Chip-Kurier", "Wire One"),
    ),
    (
        "a plain article keeps everything",
        "<p>Samsung Electronics reported record profit. Analysts said demand for memory chips "
        "was strong.</p><p>Samsung declined to comment.</p><ul><li>Revenue: $60 billion</li>"
        "<li>Profit: $12 billion</li></ul><blockquote>We expect growth to continue, said "
        "<a href='x'>Lee Jae-yong</a>.</blockquote><p>More details will follow.</p>",
        (
            "Samsung Electronics reported record profit.",
            "Samsung declined to comment.",
            "Revenue: $60 billion",
            "We expect growth to continue, said Lee Jae-yong.",
            "More details will follow.",
        ),
        (),
    ),
    (
        "short item that is one link stays",
        "<p><a href='https://t.example/a'>Samsung unveils Exynos 2600</a></p>",
        ("Samsung unveils Exynos 2600",),
        (),
    ),
    (
        "inline markup keeps words whole",
        "<p>Sam<b>sung</b> and Xiao<i>mi</i> build an Elektro<em>auto</em>.</p>",
        ("Samsung and Xiaomi build an Elektroauto.",),
        (),
    ),
]
