"""Sources of the European publishers' feeds (EN, DE, FR, ES, IT, PT, NL, RU).

Publishers, people and events are invented for this set; company names are real because
users follow them. Each entry's labels sit next to its text.
"""

# ruff: noqa: E501

from __future__ import annotations

from feedset import Entry, Feed


def _yoast(words: str) -> str:
    before, after = words.split("|")
    return (
        f'<p>{before} <a rel="nofollow" href="{{link}}">{{title}}</a> {after} '
        f'<a rel="nofollow" href="{{home}}">{{site}}</a>.</p>'
    )


JETPACK_SHARE = (
    '<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-block sd-social '
    'sd-social-icon-text sd-sharing"><h3 class="sd-title">Share this:</h3><div class="sd-content">'
    '<ul><li class="share-facebook"><a rel="nofollow noopener noreferrer" class="share-facebook '
    'sd-button share-icon" href="{link}?share=facebook" target="_blank"><span>Facebook</span></a>'
    '</li><li class="share-x"><a rel="nofollow noopener noreferrer" class="share-x sd-button '
    'share-icon" href="{link}?share=x" target="_blank"><span>X</span></a></li><li class="share-'
    'jetpack-whatsapp"><a rel="nofollow noopener noreferrer" class="share-jetpack-whatsapp sd-'
    'button share-icon" href="{link}?share=jetpack-whatsapp" target="_blank"><span>WhatsApp</span>'
    '</a></li><li class="share-email"><a rel="nofollow noopener noreferrer" class="share-email sd-'
    'button share-icon" href="mailto:?subject=%5BShared%20Post%5D&amp;body={link}" target="_blank">'
    '<span>Email</span></a></li><li class="share-end"></li></ul></div></div></div><div class=\''
    "sharedaddy sd-block sd-like jetpack-likes-widget-wrapper jetpack-likes-widget-unloaded'><h3 "
    'class="sd-title">Like this:</h3><div class=\'likes-widget-placeholder post-likes-widget-'
    "placeholder' style='height: 55px;'><span class='button'><span>Like</span></span> <span "
    'class="loading">Loading...</span></div></div>'
)

# ------------------------------------------------------------------- EV Daily (WordPress, en)

EVD = "https://evdaily.example"

E1 = Entry(
    guid=f"{EVD}/?p=48211",
    link=f"{EVD}/2025/06/11/byd-szeged-series-production/",
    title="BYD starts series production at its Szeged plant in Hungary",
    published="2025-06-11 14:05",
    author="Marta Kovács",
    tags=["BYD", "Europe", "Factories"],
    language="en",
    body=[
        "BYD has started series production at its new plant in Szeged, Hungary, the Chinese carmaker said on Wednesday, making it the first Chinese brand to build passenger cars in the European Union.",
        "The first model off the line is the Dolphin Surf, a compact hatchback that sells from €22,990 in Germany. The Seal U DM-i plug-in hybrid will follow in the autumn.",
        "In its first phase the plant can build 150,000 cars a year, and BYD expects to employ about 3,000 people there by the end of 2026.",
        "Building cars inside the EU lets BYD avoid the countervailing duties of up to 35.3% that Brussels imposes on electric cars imported from China.",
    ],
    inserts={
        0: '<figure class="wp-block-image size-large"><img decoding="async" width="1024" height="576" src="https://evdaily.example/wp-content/uploads/2025/06/byd-szeged-1024x576.jpg" alt="" class="wp-image-48213" /><figcaption class="wp-element-caption">The Szeged plant in May. Image: BYD</figcaption></figure>',
        1: '<aside class="evd-deal-box"><p><strong>Deal of the day:</strong> Samsung Galaxy S25 Ultra drops to $899 at Amazon, its lowest price yet. <a href="https://evdaily.example/go/amazon-galaxy-s25/" rel="sponsored">See the deal</a></p></aside>',
    },
    topics=["byd", "ev"],
    facts=[["Szeged"], ["150,000"]],
    forbidden=[
        "Image: BYD",
        "The Szeged plant in May",
        "Deal of the day",
        "Galaxy S25",
        "See the deal",
    ],
    cases=["boilerplate-alert", "boilerplate-summary"],
    note="Samsung appears only in an ad aside: phones-cars-chips must not fire. The figure caption is a credit, not a sentence of the story.",
)

E2 = Entry(
    guid=f"{EVD}/?p=48190",
    link=f"{EVD}/2025/06/11/tesla-model-y-lease-germany-france/",
    title="Tesla cuts Model Y lease prices in Germany and France",
    published="2025-06-11 09:40",
    author="Daniel Reyes",
    tags=["Tesla", "Prices"],
    language="en",
    body=[
        "Tesla has lowered the monthly lease price of the Model Y in Germany and France by up to €60, according to the configurators on its websites, as it tries to revive demand for its best-selling car in Europe.",
        "A Model Y Standard now leases from €399 a month in Germany with a €3,000 down payment, down from €459. In France the price drops to €379 a month, and buyers still qualify for the country's bonus for electric cars built in Europe.",
        "Tesla's registrations in Europe fell 28% in May, according to industry data, while BYD outsold it in several markets for the second month in a row.",
    ],
    tail=[
        '<h3 class="evd-related-title">Related stories</h3>\n<ul class="evd-related"><li><a href="https://evdaily.example/2025/06/09/samsung-xiaomi-ev-chips/">Samsung and Xiaomi race to build their own EV chips</a></li><li><a href="https://evdaily.example/2025/06/08/ionity-price-rise-germany/">Ionity raises charging prices in Germany</a></li></ul>',
        JETPACK_SHARE.format(link=f"{EVD}/2025/06/11/tesla-model-y-lease-germany-france/"),
    ],
    topics=["tesla", "byd", "ev"],
    facts=[["€60"], ["€399"]],
    forbidden=[
        "Related stories",
        "Samsung and Xiaomi race",
        "Ionity raises",
        "Share this",
        "WhatsApp",
        "Like this",
        "Loading...",
    ],
    cases=["boilerplate-alert", "boilerplate-summary"],
    note="A Samsung-Xiaomi headline in the related-stories list must not make phones-cars-chips fire; Jetpack's share and like buttons end the content.",
)

E3 = Entry(
    guid=f"{EVD}/?p=48177",
    link=f"{EVD}/2025/06/11/xiaomi-battery-pack-plant-talks/",
    title="Xiaomi's next step in cars may be its own batteries",
    published="2025-06-11 07:15",
    author="Lin Hao",
    tags=["Xiaomi", "Batteries"],
    language="en",
    body=[
        "Xiaomi delivered its first SU7 sedan in April 2024, three years after founder Lei Jun promised to spend $10 billion on cars over a decade.",
        "The sedan has since become one of China's best-selling premium EVs, and the YU7 SUV is due to reach customers this summer.",
        "Like most Chinese carmakers, Xiaomi buys its battery cells from CATL and from BYD's FinDreams unit, and assembles the packs at its factory in Beijing.",
        "That may be about to change. Xiaomi is in talks with the city of Wuhan about a battery pack plant that would cost about 5 billion yuan, two people familiar with the plans said.",
        "The plant would assemble packs for the YU7 and for a third model planned for 2026. Xiaomi declined to comment.",
    ],
    topics=["xiaomi", "byd", "ev", "battery"],
    facts=[["Wuhan"], ["talks"], ["5 billion yuan"]],
    cases=["late-news"],
    note="Three sentences of background before the news (talks with Wuhan about a pack plant).",
)

E4 = Entry(
    guid=f"{EVD}/?p=48160",
    link=f"{EVD}/2025/06/10/tsmc-may-revenue-ai/",
    title="TSMC's May revenue jumps 40% on AI chip demand",
    published="2025-06-10 08:30",
    author="Daniel Reyes",
    tags=["TSMC", "Semiconductors"],
    language="en",
    body=[
        "TSMC reported revenue of NT$320.5 billion for May, up 40% from a year earlier and down 8% from April, as demand for AI accelerators kept its most advanced lines full.",
        "Revenue for the first five months rose 43% to NT$1.51 trillion. The world's largest contract chipmaker will report second-quarter results on July 17.",
        "Automotive chips, which include the processors in driver-assistance systems, made up 5% of revenue in the first quarter.",
    ],
    topics=["tsmc", "chips"],
    facts=[["NT$320.5 billion", "320.5"], ["40%"]],
    cases=["control"],
)

E5 = Entry(
    guid=f"{EVD}/?p=48152",
    link=f"{EVD}/2025/06/10/byd-flagship-store-muenchen/",
    title="BYD eröffnet Flagship-Store in der Münchner Innenstadt",
    published="2025-06-10 16:00",
    author="Presse-Service",
    tags=["BYD", "Deutschland"],
    language="de",
    body=[
        "BYD hat am Dienstag seinen ersten Flagship-Store in Deutschland eröffnet. Auf 1.200 Quadratmetern in der Maximilianstraße zeigt der Hersteller acht Elektroautos und Plug-in-Hybride, darunter den Kombi Seal 6 Touring.",
        "Probefahrten lassen sich direkt vor Ort buchen. Bis Ende 2025 will BYD die Zahl seiner Verkaufsstellen in Deutschland auf 120 verdoppeln.",
        "Der Store ist montags bis samstags von 10 bis 20 Uhr geöffnet.",
    ],
    topics=["byd", "ev"],
    facts=[["Maximilianstraße", "München", "Münchner"], ["120"]],
    cases=["language"],
    note="A German press text in a feed that declares en-US; the WordPress tail added to it is English.",
)

E6 = Entry(
    guid=f"{EVD}/?p=48140",
    link=f"{EVD}/2025/06/10/xiaomi-yu7-orders/",
    title="Xiaomi's first E\u200bV SUV, the YU7, takes 150,000 orders in a day",
    published="2025-06-10 11:20",
    author="Lin Hao",
    tags=["Xiaomi", "YU7"],
    language="en",
    body=[
        "Xiaomi said it had received 150,000 firm orders for the YU7 within 24 hours of the SUV's launch in Beijing on Monday evening.",
        "The YU7 starts at 253,500 yuan, about 4% less than Tesla's Model Y in China, and has a range of up to 835 km on the Chinese test cycle.",
        "Deliveries of the standard version begin in July; the Max version follows in August.",
    ],
    topics=["xiaomi", "tesla", "ev"],
    facts=[["150,000"], ["253,500 yuan", "253,500"]],
    cases=["invisible"],
    note="A zero-width space inside 'EV' in the title (copied from the CMS); the title shown must not keep it. EV is only in the title.",
)

E7 = Entry(
    guid=f"{EVD}/?p=46012",
    link=f"{EVD}/2025/04/13/samsung-sdi-solid-state-2027/",
    title="Samsung SDI to start mass production of solid-state battery cells in 2027",
    published="2025-04-13 06:00",
    author="Marta Kovács",
    tags=["Samsung", "Batteries"],
    language="en",
    body=[
        "Samsung SDI plans to start mass production of all-solid-state battery cells for electric vehicles in 2027, the company told investors on Friday.",
        "The cells reach an energy density of 900 Wh per litre, about 40% more than the best lithium-ion cells in today's cars, and are meant first for premium models.",
        "A pilot line in Suwon has been making samples for carmakers since 2023.",
    ],
    topics=["samsung", "battery", "ev"],
    facts=[["2027"], ["solid-state"]],
    cases=["stale"],
    note="Published 2025-04-13, 60 days before the fetch (2025-06-12); back at the top of the feed because the post was edited. Must not alert.",
)

E8 = Entry(
    guid=f"{EVD}/?p=48129",
    link=f"{EVD}/2025/06/10/intel-ohio-fab-delay/",
    title="Intel pushes its Ohio chip plant back to the 2030s",
    published="2025-06-10 07:50",
    author="Daniel Reyes",
    tags=["Intel", "Semiconductors"],
    language="en",
    head=[
        '<figure class="wp-block-image size-large"><img decoding="async" width="1024" height="683" src="https://evdaily.example/wp-content/uploads/2025/06/fab-cleanroom-1024x683.jpg" alt="" /><figcaption class="wp-element-caption">A wafer fab clean room. Image: Samsung Electronics</figcaption></figure>'
    ],
    body=[
        "Intel now expects to finish the first of two chip factories in New Albany, Ohio, in 2030 and to start production between 2030 and 2031, five years later than it planned when it broke ground in 2022.",
        "The company said it was matching its construction spending to demand and would keep the option to speed the project up.",
        "Intel has already cut its capital budget for the year to $18 billion as it looks for outside customers for its foundry business.",
    ],
    topics=["chips"],
    facts=[["Ohio", "New Albany"], ["2030"]],
    forbidden=["Image: Samsung Electronics", "A wafer fab clean room"],
    cases=["boilerplate-alert", "boilerplate-summary"],
    note="The stock photo's credit names Samsung: phones-cars-chips must not fire. 'EV Daily' in the WordPress tail is not the ev topic, so chip-news (chips and not ev) must fire.",
)

E9 = Entry(
    guid=f"{EVD}/?p=48120",
    link=f"{EVD}/2025/06/10/samsung-hbm4-samples-nvidia/",
    title="Samsung ships HBM4 memory samples to Nvidia",
    published="2025-06-10 06:10",
    author="Lin Hao",
    tags=["Samsung", "Semiconductors"],
    language="en",
    body=[
        "Samsung Electronics has shipped samples of its sixth-generation HBM4 memory to Nvidia and expects to start volume production in the fourth quarter, the company said on Tuesday.",
        "The 12-layer stacks are built on Samsung's 1c DRAM process, with a logic die made in its own foundry on a 4 nm process.",
        "Samsung has trailed SK Hynix in high-bandwidth memory, the chips that sit next to AI accelerators, since 2023.",
    ],
    inserts={
        1: '<div class="evd-newsletter"><h4>Get EV Daily in your inbox</h4><p>The day\'s electric vehicle and battery news, every morning at 7. <a href="https://evdaily.example/newsletter/">Subscribe</a></p></div>'
    },
    topics=["samsung", "chips"],
    facts=[["HBM4"], ["fourth quarter"]],
    forbidden=["in your inbox", "every morning at 7", "Subscribe"],
    cases=["boilerplate-alert"],
    note="The newsletter box says 'electric vehicle and battery': ev-battery must not fire, and chip-news (chips and not ev) must.",
)

E10 = Entry(
    guid=f"{EVD}/?p=48102",
    link=f"{EVD}/2025/06/09/vw-golf-recall-airbag-sensor/",
    title="Volkswagen recalls 42,000 Golf cars over airbag sensor",
    published="2025-06-09 15:30",
    author="Marta Kovács",
    tags=["Volkswagen", "Recalls"],
    language="en",
    body=[
        "Volkswagen is recalling about 42,000 Golf and Golf Variant cars built between March and October 2024 because a faulty sensor in the passenger seat may switch off the front airbag, Germany's motor transport authority said.",
        "Dealers will replace the sensor mat free of charge; the work takes about two hours.",
    ],
    topics=[],
    facts=[["42,000"], ["airbag"]],
    cases=["control"],
    note="No topic in the story; 'EV Daily' in the tail is the site's name.",
)

E11 = Entry(
    guid=f"{EVD}/?p=48095",
    link=f"{EVD}/2025/06/09/tsmc-arizona-capital-injection/",
    title="TSMC's Arizona bet keeps getting bigger",
    published="2025-06-09 10:05",
    author="Daniel Reyes",
    tags=["TSMC", "Semiconductors"],
    language="en",
    body=[
        "TSMC broke ground in Phoenix in 2021 with a plan for a single factory making 5 nm chips.",
        "Four years later the site has one fab in volume production, a second under construction and land set aside for six in total.",
        "Customers including Apple, Nvidia and AMD have committed to buying chips made there, although costs in Arizona remain well above those in Taiwan.",
        "On Tuesday TSMC's board approved a capital injection of up to $10 billion into TSMC Arizona, according to a filing with the Taiwan Stock Exchange.",
        "The money will pay for equipment at the second fab, which is due to make 3 nm chips from 2028.",
    ],
    topics=["tsmc", "chips"],
    facts=[["$10 billion"], ["capital injection"]],
    cases=["late-news"],
)

E12 = Entry(
    guid=f"{EVD}/?p=48088",
    link=f"{EVD}/2025/06/09/xiaomi-ev-unit-first-profit/",
    title="Xiaomi's car unit reports its first operating profit",
    published="2025-06-09 08:45",
    author="Lin Hao",
    tags=["Xiaomi", "Earnings"],
    language="en",
    head=["<p><em>Photo: Xiaomi. All rights reserved.</em></p>"],
    body=[
        "Xiaomi's smart EV business made an operating profit of 310 million yuan in the first quarter, the first since the SU7 went on sale, on revenue of 18.6 billion yuan.",
        "The company delivered 75,869 cars in the quarter and kept its target of 350,000 deliveries for the year.",
    ],
    topics=["xiaomi", "ev"],
    facts=[["310 million yuan"], ["75,869"]],
    forbidden=["Photo: Xiaomi", "All rights reserved"],
    cases=["boilerplate-summary"],
    note="The text starts with a photo credit.",
)

E13 = Entry(
    guid=f"{EVD}/?p=48080",
    link=f"{EVD}/2025/06/09/rivian-vw-software-platform/",
    title="Rivian and Volkswagen show their joint software platform",
    published="2025-06-09 06:30",
    author="Marta Kovács",
    tags=["Rivian", "Volkswagen", "Software"],
    language="en",
    body=[
        "Rivian and Volkswagen showed the first test car running their joint zonal software platform, a Golf-sized electric vehicle that replaces about 20 control units with four computers.",
        "The joint venture, which Volkswagen is funding with up to $5.8 billion, will supply the platform to both companies' cars from 2027.",
    ],
    topics=["ev"],
    facts=[["$5.8 billion", "5.8 billion"], ["2027"]],
    cases=["control"],
)

EVDAILY = Feed(
    file="evdaily-wp.xml",
    kind="wordpress",
    content_type="application/rss+xml; charset=UTF-8",
    encoding="utf-8",
    problem="boilerplate: Yoast 'appeared first on' tail, Jetpack share buttons, an ad aside, related stories, credits, a newsletter box; a German item, an edited item published 60 days ago, a zero-width space in a title; the site is called EV Daily",
    site={
        "title": "EV Daily",
        "link": EVD,
        "description": "Electric cars, batteries and the chips inside them",
        "language": "en-US",
        "built": "2025-06-12 05:41",
        "yoast": _yoast("The post|appeared first on"),
        "more": " [&#8230;]",
        "more_text": "[…]",
    },
    entries=[E7, E1, E2, E3, E4, E5, E6, E8, E9, E10, E11, E12, E13],
    forbidden=["appeared first on", "EV Daily"],
)

# -------------------------------------------------------------- TechWelt (WordPress, de)

TW = "https://www.techwelt.example"

T1 = Entry(
    guid=f"{TW}/?p=77120",
    link=f"{TW}/2025/06/11/byd-eu-zollstreit/",
    title="BYD und die EU: Wie es im Zollstreit weitergeht",
    published="2025-06-11 12:30",
    author="Jonas Weber",
    tags=["BYD", "E-Mobilität", "Politik"],
    language="de",
    body=[
        "BYD hat im vergangenen Jahr weltweit 4,27 Millionen Fahrzeuge verkauft und damit erstmals mehr Umsatz gemacht als Tesla.",
        "In Europa ist der Konzern dagegen noch klein: In Deutschland kam die Marke im Mai auf knapp 2.000 Neuzulassungen.",
        "Seit Oktober 2024 erhebt die EU zusätzliche Zölle auf Elektroautos aus China, für BYD sind es 17 Prozentpunkte.",
        "Jetzt kommt Bewegung in den Streit. Am Mittwoch verhandelten Vertreter von BYD in Peking mit der EU-Kommission über Mindestpreise, die die Zölle ersetzen könnten.",
        "Eine Einigung werde noch vor der Sommerpause angestrebt, hieß es aus Verhandlungskreisen.",
    ],
    topics=["byd", "tesla", "ev"],
    facts=[["Peking", "Beijing"], ["Mindestpreis"]],
    cases=["late-news"],
    note="Background on sales and tariffs first; the talks in Beijing come in the fifth sentence.",
)

T2 = Entry(
    guid=f"{TW}/?p=77102",
    link=f"{TW}/2025/06/11/samsung-sdi-goed-erweiterung/",
    title="Samsung SDI baut Bat\u00adterie\u00adfabrik für E-Autos in Ungarn aus",
    published="2025-06-11 08:00",
    author="Jonas Weber",
    tags=["Samsung", "Batterien"],
    language="de",
    body=[
        "Samsung SDI investiert rund 1,1 Milliarden Euro in die Erweiterung seines Werks im ungarischen Göd. Dort entstehen Akkuzellen für Elektroautos von BMW, Volkswagen und Audi.",
        "Die Kapazität soll bis 2027 auf 40 Gigawattstunden im Jahr steigen; das reicht für rund 500.000 Fahrzeuge.",
        "Das Werk war zuletzt wegen Umweltauflagen in die Kritik geraten.",
    ],
    topics=["samsung", "battery", "ev"],
    facts=[["Göd"], ["1,1 Milliarden"]],
    cases=["invisible"],
    note="Soft hyphens (U+00AD) inside 'Batteriefabrik' in the title.",
)

T3 = Entry(
    guid=f"{TW}/?p=77095",
    link=f"{TW}/2025/06/11/e-auto-praemie-neu/",
    title="Neue E-Auto-Prämie: Was bisher bekannt ist",
    published="2025-06-11 06:45",
    author="Sabine Roth",
    tags=["E-Mobilität", "Förderung"],
    language="de",
    body=[
        "Die Bundesregierung will den Kauf von Elektroautos wieder fördern. Nach Angaben aus dem Wirtschaftsministerium soll eine neue Prämie ab Januar 2026 gelten und sich an Haushalte mit kleinen und mittleren Einkommen richten.",
        "Wie hoch die Förderung ausfällt, ist offen; im Gespräch sind bis zu 3.000 Euro. Auch gebrauchte Fahrzeuge könnten berücksichtigt werden.",
    ],
    tail=[
        '<div class="mehr-zum-thema"><h3>Mehr zum Thema</h3><ul><li><a href="https://www.techwelt.example/2025/06/08/xiaomi-samsung-smartphone-chips/">Xiaomi gegen Samsung: Wer baut die besseren Smartphone-Chips?</a></li><li><a href="https://www.techwelt.example/2025/06/05/enbw-ladetarife/">Ladesäulen: Neue Preise bei EnBW</a></li></ul></div>'
    ],
    topics=["ev"],
    facts=[["Januar 2026"], ["3.000 Euro"]],
    forbidden=["Mehr zum Thema", "Wer baut die besseren", "Neue Preise bei EnBW"],
    cases=["boilerplate-alert"],
    note="'Mehr zum Thema' brings Xiaomi, Samsung and chips: no alert should fire (ev alone).",
)

T4 = Entry(
    guid=f"{TW}/?p=77081",
    link=f"{TW}/2025/06/10/kirchengemeinde-solar-batteriespeicher/",
    title="Solarstrom vom Kirchendach: Gemeinde nimmt Batteriespeicher in Betrieb",
    published="2025-06-10 14:00",
    author="Sabine Roth",
    tags=["Energie", "Regional"],
    language="de",
    body=[
        "Die ev. Kirchengemeinde Lindenau hat auf dem Dach ihres Gemeindehauses eine Photovoltaikanlage mit 48 Kilowatt Spitzenleistung in Betrieb genommen.",
        "Ein Batteriespeicher mit 60 Kilowattstunden versorgt abends Kita und Gemeindesaal; überschüssiger Strom geht ins Netz.",
        "Finanziert wurde die Anlage zur Hälfte aus Mitteln der Landeskirche, sagte Pfarrerin Anke Brandt.",
    ],
    topics=["battery"],
    facts=[["48 Kilowatt"], ["60 Kilowattstunden"]],
    cases=["case-sensitive"],
    note="'ev.' abbreviates evangelisch; the EV topic is the upper-case acronym. ev-battery must not fire.",
)

T5 = Entry(
    guid=f"{TW}/?p=77070",
    link=f"{TW}/2025/06/10/tesla-model-3-preissenkung/",
    title="Tesla senkt den Preis des Model 3 in Deutschland",
    published="2025-06-10 10:10",
    author="Jonas Weber",
    tags=["Tesla", "E-Mobilität"],
    language="de",
    body=[
        "Tesla hat den Einstiegspreis des Model 3 in Deutschland um 2.000 Euro auf 40.990 Euro gesenkt. Die Version mit Hinterradantrieb kommt nach WLTP auf 554 Kilometer Reichweite.",
        "Es ist die zweite Preissenkung für das Elektroauto in diesem Jahr.",
    ],
    topics=["tesla", "ev"],
    facts=[["40.990 Euro", "40.990"]],
    cases=["control"],
)

T6 = Entry(
    guid=f"{TW}/?p=77064",
    link=f"{TW}/2025/06/10/infineon-dresden-halbleiterfabrik/",
    title="Infineon eröffnet neue Halbleiterfabrik in Dresden",
    published="2025-06-10 07:30",
    author="Sabine Roth",
    tags=["Infineon", "Halbleiter"],
    language="de",
    body=[
        "Infineon hat in Dresden seine neue Fabrik für Leistungshalbleiter und Analog-Chips eröffnet. Das Werk kostete rund 5 Milliarden Euro und soll bei voller Auslastung 1.000 Arbeitsplätze schaffen.",
        "Der Bund fördert das Projekt mit rund einer Milliarde Euro aus dem europäischen Chips Act.",
        "Die Chips sind unter anderem für Rechenzentren, Solaranlagen und Ladesäulen bestimmt.",
    ],
    topics=["chips"],
    facts=[["5 Milliarden"], ["Dresden"]],
    cases=["control"],
)

T7 = Entry(
    guid=f"{TW}/?p=77051",
    link=f"{TW}/2025/06/09/xiaomi-su7-update-reichweite/",
    title="Xiaomi SU7 bekommt per Update mehr Reichweite",
    published="2025-06-09 17:20",
    author="Jonas Weber",
    tags=["Xiaomi", "E-Mobilität"],
    language="de",
    head=['<p class="bildnachweis"><em>Bild: Xiaomi</em></p>'],
    body=[
        "Xiaomi verteilt ein Software-Update für sein Elektroauto SU7, das die Reichweite im Winter um bis zu 8 Prozent erhöhen soll. Möglich macht das eine neue Steuerung der Wärmepumpe.",
        "Das Update mit der Version 1.7 kommt in den nächsten zwei Wochen per Funk auf die Fahrzeuge.",
    ],
    tail=[
        '<div class="newsletter-box"><p><strong>Nichts mehr verpassen:</strong> Jetzt den TechWelt-Newsletter abonnieren und jeden Freitag die wichtigsten News zu Smartphones, Chips und E-Autos erhalten.</p></div>'
    ],
    topics=["xiaomi", "ev"],
    facts=[["8 Prozent"], ["Wärmepumpe"]],
    forbidden=["Bild: Xiaomi", "Nichts mehr verpassen", "Newsletter abonnieren"],
    cases=["boilerplate-summary"],
    note="Credit at the head, newsletter box (which mentions chips) at the tail.",
)

T8 = Entry(
    guid=f"{TW}/?p=77040",
    link=f"{TW}/2025/06/09/wasserstoffzug-allgaeu/",
    title="Bahn testet Wasserstoffzug im Allgäu",
    published="2025-06-09 09:00",
    author="Sabine Roth",
    tags=["Bahn", "Wasserstoff"],
    language="de",
    body=[
        "Die Deutsche Bahn testet ab Juli einen Wasserstoffzug auf der Strecke zwischen Kempten und Pfronten. Der Zug fährt bis zu 160 km/h und kommt mit einer Tankfüllung rund 1.000 Kilometer weit.",
        "Der Test läuft bis Dezember.",
    ],
    topics=[],
    facts=[["Kempten"], ["Juli"]],
    cases=["control"],
)

TECHWELT = Feed(
    file="techwelt-wp.xml",
    kind="wordpress",
    content_type="application/rss+xml; charset=UTF-8",
    encoding="utf-8",
    problem="boilerplate: Yoast 'Der Beitrag … erschien zuerst auf' tail, 'Mehr zum Thema', credits, a newsletter box; soft hyphens in a title; 'ev.' for evangelisch",
    site={
        "title": "TechWelt",
        "link": TW,
        "description": "Smartphones, Chips und E-Mobilität",
        "language": "de-DE",
        "built": "2025-06-12 04:58",
        "yoast": _yoast("Der Beitrag|erschien zuerst auf"),
        "more": " [&#8230;]",
        "more_text": "[…]",
    },
    entries=[T1, T2, T3, T4, T5, T6, T7, T8],
    forbidden=["erschien zuerst auf"],
)

# --------------------------------------------------------- Voitures Branchées (Blogger, fr)

VB = "https://www.voitures-branchees.example/"
BLOG = "4815162342108857210"


def _blogger_id(post: str) -> str:
    return f"tag:blogger.com,1999:blog-{BLOG}.post-{post}"


B1 = Entry(
    guid=_blogger_id("7781920354410228817"),
    link=f"{VB}2025/06/tesla-grunheide-change-de-cap.html",
    title="Tesla à Grünheide : l’usine allemande change de cap",
    published="2025-06-11 16:30",
    author="Claire Dumas",
    tags=["Tesla", "Allemagne"],
    language="fr",
    body=[
        "Ouverte en mars 2022 près de Berlin, la Gigafactory de Grünheide devait produire jusqu’à 500 000 Model Y par an.",
        "La production n’a jamais atteint ce rythme : l’usine tourne autour de 5 000 voitures par semaine et Tesla a supprimé des centaines de postes en 2024.",
        "La demande de voitures électriques en Allemagne a elle aussi fléchi après la fin du bonus écologique, fin 2023.",
        "Selon nos informations, Tesla va désormais y produire ses propres cellules de batteries LFP à partir de 2026. L’investissement atteindrait 800 millions d’euros et concernerait 1 500 emplois.",
        "Tesla n’a pas souhaité commenter.",
    ],
    topics=["tesla", "ev", "battery"],
    facts=[["LFP"], ["800 millions"]],
    cases=["late-news"],
)

B2 = Entry(
    guid=_blogger_id("2290183746655102938"),
    link=f"{VB}2025/06/renault-5-50000-commandes.html",
    title="La Renault 5 électrique dépasse les 50 000 commandes",
    published="2025-06-11 07:05",
    author="Claire Dumas",
    tags=["Renault"],
    language="fr",
    head=[
        '<div class="separator" style="clear: both;"><a href="https://blogger.googleusercontent.com/img/b/R29vZ2xl/AVvXsEhR5ev/s1600/r5-etech.jpg" style="display: block; padding: 1em 0px; text-align: center;"><img alt="" border="0" data-original-height="900" data-original-width="1600" src="https://blogger.googleusercontent.com/img/b/R29vZ2xl/AVvXsEhR5ev/s640/r5-etech.jpg" width="640" /></a></div><div style="text-align: center;"><i>Crédit photo : Renault</i></div>'
    ],
    body=[
        "Renault a enregistré plus de 50 000 commandes pour la R5 E-Tech depuis son lancement, a indiqué le constructeur mercredi. Produite à Douai, dans le Nord, c’est la voiture électrique la plus commandée en France ce printemps."
    ],
    tail=[
        f'<a name=\'more\'></a><div class="jump-link"><a href="{VB}2025/06/renault-5-50000-commandes.html#more" title="La Renault 5 électrique dépasse les 50 000 commandes">Lire la suite »</a></div>'
    ],
    topics=["ev"],
    facts=[["50 000"], ["Douai"]],
    forbidden=["Crédit photo", "Lire la suite"],
    cases=["boilerplate-summary"],
    note="Blogger feed cut at the jump break: photo credit at the head, 'Lire la suite' at the end.",
)

B3 = Entry(
    guid=_blogger_id("9012837465501928374"),
    link=f"{VB}2025/06/byd-cargo-le-havre.html",
    title="BYD : LES VOITURES ELECTRIQUES CHINOISES DEBARQUENT AU HAVRE",
    published="2025-06-10 18:15",
    author="Marc Lefèvre",
    tags=["BYD", "Chine"],
    language="fr",
    body=[
        "Un cargo de BYD, le BYD Shenzhen, a accosté mardi au port du Havre avec près de 7 000 véhicules à bord.",
        "C’est le plus grand navire roulier du constructeur : il peut transporter jusqu’à 9 200 voitures. Une partie des modèles partira vers la Belgique et l’Allemagne.",
    ],
    topics=["byd", "ev"],
    facts=[["Havre"], ["7 000"]],
    cases=["accents"],
    note="'ELECTRIQUES' without its accent, as French capitals often are: the ev term 'voiture* électrique*' should still match.",
)

B4 = Entry(
    guid=_blogger_id("5566778899001122334"),
    link=f"{VB}2025/06/xiaomi-magasin-lyon.html",
    title="Xiaomi ouvre son premier magasin à Lyon",
    published="2025-06-10 09:00",
    author="Marc Lefèvre",
    tags=["Xiaomi"],
    language="fr",
    body=[
        "Xiaomi ouvrira samedi son premier magasin lyonnais, rue de la République. Sur 300 m², la boutique présentera les smartphones Xiaomi 15, des trottinettes et des objets connectés.",
        "Les 100 premiers clients recevront une batterie externe.",
    ],
    topics=["xiaomi", "battery"],
    facts=[["Lyon"], ["samedi"]],
    cases=["control"],
)

B5 = Entry(
    guid=_blogger_id("3141592653589793238"),
    link=f"{VB}2025/06/fiat-500e-mirafiori-reprise.html",
    title="Stellantis relance la production de la Fiat 500e à Mirafiori",
    published="2025-06-09 14:40",
    author="Claire Dumas",
    tags=["Stellantis", "Italie"],
    language="fr",
    body=[
        "Stellantis va reprendre la production de la Fiat 500e à Mirafiori, à Turin, en novembre, après plusieurs mois d’arrêt faute de demande. Le groupe y investit 100 millions d’euros pour fabriquer aussi une version hybride.",
        "Les ventes de véhicules électriques en Italie restent faibles, autour de 5 % du marché.",
    ],
    tail=[
        f'<p><b>À lire aussi :</b> <a href="{VB}2025/06/samsung-exynos-2600-2nm.html">Samsung dévoile ses puces Exynos 2600 gravées en 2 nm</a></p>',
        '<div class="newsletter" style="border: 1px solid #ccc; padding: 8px;"><p>Abonnez-vous à notre newsletter pour recevoir chaque semaine l’actualité des voitures branchées.</p></div>',
    ],
    topics=["ev"],
    facts=[["Mirafiori", "Turin"], ["novembre"]],
    forbidden=["À lire aussi", "Exynos 2600", "Abonnez-vous"],
    cases=["boilerplate-alert"],
    note="'À lire aussi' brings Samsung and chips into an ev story: phones-cars-chips must not fire.",
)

B6 = Entry(
    guid=_blogger_id("2718281828459045235"),
    link=f"{VB}2025/06/tsmc-dresde-calendrier.html",
    title="TSMC confirme son calendrier pour l’usine de Dresde",
    published="2025-06-09 08:20",
    author="Marc Lefèvre",
    tags=["TSMC", "Allemagne"],
    language="fr",
    body=[
        "TSMC a confirmé que son usine de Dresde, construite avec Bosch, Infineon et NXP, produira ses premières puces fin 2027. Le site fabriquera des semi-conducteurs pour l’automobile et l’industrie, gravés en 28 et 16 nm.",
        "L’Allemagne finance le projet à hauteur de 5 milliards d’euros.",
    ],
    topics=["tsmc", "chips"],
    facts=[["2027"], ["Dresde"]],
    cases=["control"],
)

B7 = Entry(
    guid=_blogger_id("1618033988749894848"),
    link=f"{VB}2025/06/sncf-commande-tgv-m.html",
    title="La SNCF commande 30 TGV M supplémentaires",
    published="2025-06-08 12:00",
    author="Claire Dumas",
    tags=["Train"],
    language="fr",
    body=[
        "La SNCF a commandé 30 rames TGV M supplémentaires à Alstom pour environ 1 milliard d’euros. Elles entreront en service à partir de 2028 sur les lignes vers le sud-est.",
    ],
    topics=[],
    facts=[["30"], ["TGV M"]],
    cases=["control"],
)

VOITURES = Feed(
    file="voitures-blogger.xml",
    kind="blogger",
    content_type="application/atom+xml; charset=UTF-8",
    encoding="utf-8",
    problem="boilerplate: Blogger jump break with 'Lire la suite', photo credits, 'À lire aussi', a newsletter box; no feed language; a title in capitals without accents",
    site={
        "title": "Voitures Branchées",
        "link": VB,
        "description": "Le blog des voitures électriques et hybrides rechargeables",
        "built": "2025-06-12 05:12",
        "blog_id": BLOG,
        "owner": "Claire Dumas",
    },
    entries=[B1, B2, B3, B4, B5, B6, B7],
)

# ------------------------------------------------------------ MotorEco (WordPress, es)

ME = "https://motoreco.example"

S1 = Entry(
    guid=f"{ME}/?p=20931",
    link=f"{ME}/2025/06/11/ventas-coches-electricos-mayo/",
    title="Las ventas de coches electricos crecen un 41 % en mayo",
    published="2025-06-11 08:00",
    author="Lucía Martín",
    tags=["Mercado"],
    language="es",
    body=[
        "Las matriculaciones de turismos 100 % eléctricos alcanzaron las 9.812 unidades en mayo en España, un 41 % más que hace un año, según la patronal Anfac.",
        "El Tesla Model 3 fue el modelo más vendido, seguido del BYD Dolphin Surf.",
        "Anfac pide más puntos de recarga y ayudas a la fabricación de baterías en España.",
    ],
    topics=["tesla", "byd", "ev", "battery"],
    facts=[["9.812"], ["41 %"]],
    cases=["accents"],
    note="'coches electricos' without accents in the title: 'coche* eléctrico*' should match, and with 'baterías' ev-battery fires.",
)

S2 = Entry(
    guid=f"{ME}/?p=20925",
    link=f"{ME}/2025/06/11/tesla-model-y-precio-espana/",
    title="Tesla rebaja el Model Y en España hasta los 44.990 euros",
    published="2025-06-11 05:30",
    author="Pablo Ruiz",
    tags=["Tesla", "Precios"],
    language="es",
    body=[
        "Tesla ha rebajado 2.000 euros el precio del Model Y de propulsión trasera en España, que parte ahora de 44.990 euros antes de ayudas. Con el Plan Moves III, el precio final puede quedar por debajo de los 40.000 euros.",
        "El coche eléctrico más vendido del mundo en 2024 llega con una autonomía WLTP de 622 km.",
    ],
    inserts={
        0: '<aside class="mtr-oferta"><p><strong>Oferta:</strong> Xiaomi Redmi Note 14 Pro por 249 € en AliExpress con el cupón MOTOR10.</p></aside>'
    },
    topics=["tesla", "ev"],
    facts=[["44.990"], ["2.000 euros"]],
    forbidden=["Oferta:", "Redmi Note 14", "cupón"],
    cases=["boilerplate-alert"],
    note="An affiliate offer for a Xiaomi phone inside a Tesla story: phones-cars-chips must not fire.",
)

S3 = Entry(
    guid=f"{ME}/?p=20918",
    link=f"{ME}/2025/06/10/byd-castilla-y-leon-baterias/",
    title="BYD y el mapa industrial del coche eléctrico en Europa",
    published="2025-06-10 14:20",
    author="Lucía Martín",
    tags=["BYD", "Industria"],
    language="es",
    body=[
        "BYD abre este año su primera fábrica europea de turismos en Szeged, Hungría, y tiene otra en construcción en Turquía.",
        "El fabricante chino vende ya en España más coches que Tesla en algunos meses, y su red de concesionarios supera los 70 puntos de venta.",
        "Varias comunidades autónomas llevan más de un año intentando atraer una tercera planta de la marca.",
        "Según ha podido saber MotorEco, BYD mantiene conversaciones con la Junta de Castilla y León para instalar una fábrica de baterías en Valladolid, con una inversión de unos 1.200 millones de euros.",
        "Ni BYD ni la Junta han querido hacer comentarios.",
    ],
    topics=["byd", "tesla", "ev", "battery"],
    facts=[["Valladolid"], ["1.200 millones"]],
    cases=["late-news"],
)

S4 = Entry(
    guid=f"{ME}/?p=20910",
    link=f"{ME}/2025/06/10/samsung-chips-2-nm-automocion/",
    title="Samsung fabricará chips de 2 nm para coches a partir de 2027",
    published="2025-06-10 09:10",
    author="Pablo Ruiz",
    tags=["Samsung", "Semiconductores"],
    language="es",
    body=[
        "Samsung Electronics ha anunciado que su fundición producirá chips de 2 nm para automoción a partir de 2027. Los primeros clientes serán fabricantes de sistemas de asistencia a la conducción.",
        "La compañía también ampliará su planta de Taylor, en Texas.",
    ],
    topics=["samsung", "chips"],
    facts=[["2 nm"], ["2027"]],
    cases=["control"],
)

S5 = Entry(
    guid=f"{ME}/?p=20902",
    link=f"{ME}/2025/06/09/dgt-nuevos-radares/",
    title="La DGT instalará 120 nuevos radares en carreteras secundarias",
    published="2025-06-09 10:00",
    author="Pablo Ruiz",
    tags=["Tráfico"],
    language="es",
    body=[
        "La Dirección General de Tráfico instalará 120 nuevos radares fijos y de tramo antes de final de año, la mayoría en carreteras secundarias, donde se producen siete de cada diez muertes.",
    ],
    topics=[],
    facts=[["120"], ["radares"]],
    cases=["control"],
)

MOTORECO = Feed(
    file="motoreco-wp.xml",
    kind="wordpress",
    content_type="application/rss+xml; charset=UTF-8",
    encoding="utf-8",
    problem="boilerplate: Yoast 'La entrada … se publicó primero en' tail, 'Leer más', an affiliate offer; a title without accents",
    site={
        "title": "MotorEco",
        "link": ME,
        "description": "Noticias del coche eléctrico",
        "language": "es",
        "built": "2025-06-12 05:02",
        "yoast": _yoast("La entrada|se publicó primero en"),
        "more": '&hellip; <a class="more-link" href="{link}">Leer más</a>',
        "more_text": "Leer más",
    },
    entries=[S1, S2, S3, S4, S5],
    forbidden=["se publicó primero en"],
)

# ------------------------------------------------------- TecnoItalia (JSON Feed 1.1, it)

TI = "https://www.tecnoitalia.example/"

I1 = Entry(
    guid=f"{TI}?p=9921",
    link=f"{TI}2025/06/11/xiaomi-su7-ultra-italia/",
    title="Xiaomi porta la SU7 Ultra in Italia",
    published="2025-06-11 07:12",
    author="Giulia Conti",
    tags=["Xiaomi", "Auto"],
    language="it",
    body=[
        "Xiaomi ha annunciato che la berlina SU7 Ultra sarà venduta in Italia dal 2026, con prezzi a partire da 89.900 euro. L'auto elettrica da 1.548 CV sarà ordinabile online e provabile in tre Xiaomi Store, a Milano, Roma e Napoli.",
    ],
    tail=[
        f'<p><a href="{TI}2025/06/11/xiaomi-su7-ultra-italia/" class="more-link">Continua a leggere <span class="meta-nav">&rarr;</span></a></p>'
    ],
    topics=["xiaomi", "ev"],
    facts=[["89.900"], ["2026"]],
    forbidden=["Continua a leggere"],
    cases=["boilerplate-summary"],
)

I2 = Entry(
    guid=f"{TI}?p=9917",
    link=f"{TI}2025/06/10/byd-italia-incontro-ministero/",
    title="BYD e l'Italia, una partita ancora aperta",
    published="2025-06-10 15:40",
    author="Marco Bianchi",
    tags=["BYD", "Industria"],
    language="it",
    body=[
        "Da due anni il governo italiano cerca un secondo costruttore di auto che produca nel Paese accanto a Stellantis.",
        "I contatti con Tesla, Chery e Dongfeng non hanno portato a nulla, e la produzione nazionale di auto è scesa sotto le 300.000 unità nel 2024.",
        "Nel frattempo BYD ha scelto l'Ungheria e la Turchia per le sue prime fabbriche europee.",
        "Ora però qualcosa si muove: giovedì i vertici europei di BYD hanno incontrato a Roma, al ministero delle Imprese, i rappresentanti del governo per discutere di un impianto di assemblaggio di auto elettriche nel Mezzogiorno.",
        "L'incontro, confermato da fonti ministeriali, è il primo ufficiale tra le due parti.",
    ],
    topics=["byd", "tesla", "ev"],
    facts=[["ministero delle Imprese", "Roma"], ["Mezzogiorno"]],
    cases=["late-news"],
)

I3 = Entry(
    guid=f"{TI}?p=9910",
    link=f"{TI}2025/06/10/stmicroelectronics-agrate-ampliamento/",
    title="STMicroelectronics amplia la fabbrica di Agrate",
    published="2025-06-10 09:00",
    author="Marco Bianchi",
    tags=["Semiconduttori"],
    language="it",
    head=[
        '<figure class="wp-block-image"><img src="https://www.tecnoitalia.example/wp-content/uploads/2025/06/camera-bianca.jpg" alt="" /><figcaption>Una camera bianca per la produzione di chip (Foto: Samsung)</figcaption></figure>'
    ],
    body=[
        "STMicroelectronics investirà 1,5 miliardi di euro nello stabilimento di Agrate Brianza, vicino a Milano, per aumentare la produzione di semiconduttori analogici su wafer da 300 mm.",
        "I lavori termineranno nel 2027 e porteranno 400 nuove assunzioni.",
    ],
    topics=["chips"],
    facts=[["Agrate"], ["1,5 miliardi"]],
    forbidden=["Foto: Samsung", "camera bianca"],
    cases=["boilerplate-alert"],
    note="The caption of a stock photo credits Samsung: phones-cars-chips must not fire.",
)

I4 = Entry(
    guid=f"{TI}?p=9902",
    link=f"{TI}2025/06/09/catania-carburo-di-silicio/",
    title="Carburo di silicio: Catania raddoppia la produzione di wafer da 200 mm",
    published="2025-06-09 11:30",
    author="Giulia Conti",
    tags=["Semiconduttori"],
    language="it",
    body=[
        "Lo stabilimento di Catania raddoppierà entro il 2026 la produzione di wafer in carburo di silicio da 200 mm. Il materiale ha una banda proibita di 3,26 eV, circa tre volte quella del silicio, e permette semiconduttori di potenza più efficienti per inverter solari e alimentatori dei data center.",
        "L'investimento è di 730 milioni di euro.",
    ],
    topics=["chips"],
    facts=[["Catania"], ["730 milioni"]],
    cases=["case-sensitive"],
    note="'3,26 eV' is electronvolts, not the EV topic: chip-news (chips and not ev) must fire.",
)

I5 = Entry(
    guid=f"{TI}?p=9897",
    link=f"{TI}2025/06/09/open-fiber-500-comuni/",
    title="Open Fiber collega altri 500 comuni",
    published="2025-06-09 08:00",
    author="Marco Bianchi",
    tags=["Rete"],
    language="it",
    body=[
        "Open Fiber ha completato la rete in fibra ottica in altri 500 comuni delle aree bianche, portando il totale a 6.200. Le connessioni arrivano fino a 10 gigabit al secondo.",
    ],
    topics=[],
    facts=[["500"], ["fibra"]],
    cases=["control"],
)

I6 = Entry(
    guid=f"{TI}?p=9890",
    link=f"{TI}2025/06/08/tesla-supercharger-bolzano/",
    title="Tesla apre a Bolzano il Supercharger più grande d'Italia",
    published="2025-06-08 10:30",
    author="Giulia Conti",
    tags=["Tesla", "Ricarica"],
    language="it",
    body=[
        "Tesla ha aperto a Bolzano una stazione Supercharger con 40 colonnine da 250 kW, la più grande d'Italia. È aperta anche alle auto elettriche di altre marche.",
    ],
    topics=["tesla", "ev"],
    facts=[["Bolzano"], ["40"]],
    cases=["control"],
)

TECNOITALIA = Feed(
    file="tecnoitalia.json",
    kind="jsonfeed",
    content_type="application/feed+json; charset=UTF-8",
    encoding="utf-8",
    problem="boilerplate: 'Continua a leggere', a photo credit in a caption; '3,26 eV' in a chip story",
    declared=None,
    site={
        "title": "TecnoItalia",
        "link": TI,
        "description": "Tecnologia, auto elettriche e semiconduttori",
        "language": "it-IT",
        "built": "2025-06-12 04:30",
    },
    entries=[I1, I2, I3, I4, I5, I6],
)

# --------------------------------------------------- Rodas Verdes (WordPress, pt-BR)

RV = "https://rodasverdes.example"

P1 = Entry(
    guid=f"{RV}/?p=3310",
    link=f"{RV}/2025/06/11/byd-camacari-o-que-muda/",
    title="BYD em Camaçari: o que muda na fábrica baiana",
    published="2025-06-11 13:00",
    author="Rafael Souza",
    tags=["BYD", "Indústria"],
    language="pt",
    body=[
        "A BYD comprou em 2023 o antigo complexo da Ford em Camaçari, na Bahia, por cerca de R$ 620 milhões.",
        "As obras atrasaram, e a montadora chinesa foi alvo de uma investigação sobre as condições de trabalho no canteiro.",
        "Enquanto isso, a marca se tornou líder de vendas de carros elétricos no Brasil.",
        "Nesta terça-feira, a BYD anunciou que a fábrica começará a montar o Dolphin Mini em 1º de julho, com capacidade inicial de 150 mil veículos por ano.",
        "A produção local deve baixar o preço do modelo.",
    ],
    topics=["byd", "ev"],
    facts=[["julho"], ["150 mil"]],
    cases=["late-news", "encoding"],
)

P2 = Entry(
    guid=f"{RV}/?p=3305",
    link=f"{RV}/2025/06/10/vendas-carros-eletricos-maio/",
    title="Vendas de carros eletricos batem recorde em maio",
    published="2025-06-10 12:00",
    author="Ana Lima",
    tags=["Mercado"],
    language="pt",
    body=[
        "Os emplacamentos de veículos 100% elétricos somaram 7.420 unidades em maio, alta de 52% sobre o mesmo mês de 2024, segundo a ABVE.",
        "O BYD Dolphin Mini liderou o mês. A associação pede incentivos para a produção de baterias no país.",
    ],
    topics=["byd", "ev", "battery"],
    facts=[["7.420"], ["52%"]],
    cases=["accents", "encoding"],
    note="'carros eletricos' without accents in the title: 'carro* elétrico*' should match (then ev-battery fires).",
)

P3 = Entry(
    guid=f"{RV}/?p=3299",
    link=f"{RV}/2025/06/09/metro-sp-linha-6/",
    title="Metrô de São Paulo adia inauguração da Linha 6",
    published="2025-06-09 15:00",
    author="Ana Lima",
    tags=["Mobilidade"],
    language="pt",
    body=[
        "A inauguração da Linha 6-Laranja do metrô de São Paulo foi adiada para o segundo semestre de 2026. A linha terá 15 estações e deve transportar 630 mil passageiros por dia.",
    ],
    topics=[],
    facts=[["2026"], ["Linha 6"]],
    cases=["encoding"],
)

RODASVERDES = Feed(
    file="rodasverdes-wp.xml",
    kind="wordpress",
    content_type="text/html; charset=ISO-8859-1",
    encoding="utf-8",
    problem="encoding: UTF-8 bytes (and an XML declaration saying UTF-8) served as text/html; charset=ISO-8859-1 by a misconfigured server",
    site={
        "title": "Rodas Verdes",
        "link": RV,
        "description": "Mobilidade elétrica no Brasil",
        "language": "pt-BR",
        "built": "2025-06-12 03:10",
        "yoast": _yoast("O post|apareceu primeiro em"),
        "more": " [&#8230;]",
        "more_text": "[…]",
    },
    entries=[P1, P2, P3],
    forbidden=["apareceu primeiro em"],
)

# ------------------------------------------------------- AutoNieuws (WordPress, nl)

AN = "https://autonieuws.example"

NL1 = Entry(
    guid=f"{AN}/?p=15502",
    link=f"{AN}/2025/06/11/tesla-supercharger-zwolle/",
    title="Tesla opent grootste laadplein van Nederland in Zwolle",
    published="2025-06-11 10:00",
    author="Pieter de Vries",
    tags=["Tesla", "Laden"],
    language="nl",
    head=["<p><em>Foto: Tesla</em></p>"],
    body=[
        "Tesla heeft langs de A28 bij Zwolle een laadplein met 48 Superchargers geopend, het grootste van Nederland. De palen laden met maximaal 325 kW en zijn ook beschikbaar voor elektrische auto's van andere merken.",
    ],
    tail=[
        '<p><strong>Lees ook:</strong> <a href="https://autonieuws.example/2025/06/05/byd-seal-6-test/">BYD Seal 6 Touring getest</a></p>'
    ],
    topics=["tesla", "ev"],
    facts=[["Zwolle"], ["48"]],
    forbidden=["Foto: Tesla", "Lees ook", "Seal 6 Touring getest"],
    cases=["boilerplate-summary"],
    note="A BYD headline under 'Lees ook' is not the story's topic (byd-tesla fires through Tesla anyway).",
)

NL2 = Entry(
    guid=f"{AN}/?p=15497",
    link=f"{AN}/2025/06/10/verkoop-elektrische-autos-mei/",
    title="Verkoop elektrische auto's stijgt 12 procent in mei",
    published="2025-06-10 09:00",
    author="Pieter de Vries",
    tags=["Markt"],
    language="nl",
    body=[
        "In mei zijn in Nederland 9.340 nieuwe elektrische auto's geregistreerd, 12 procent meer dan een jaar eerder, meldt Bovag. Het aandeel in de totale verkoop kwam uit op 37 procent.",
    ],
    topics=["ev"],
    facts=[["9.340"], ["12 procent"]],
    cases=["control"],
)

AUTONIEUWS = Feed(
    file="autonieuws-wp.xml",
    kind="wordpress",
    content_type="application/rss+xml; charset=UTF-8",
    encoding="utf-8",
    problem="boilerplate: Yoast 'Het bericht … verscheen eerst op' tail, a photo credit, 'Lees ook'",
    site={
        "title": "AutoNieuws",
        "link": AN,
        "description": "Nieuws over auto's en elektrisch rijden",
        "language": "nl-NL",
        "built": "2025-06-12 04:00",
        "yoast": _yoast("Het bericht|verscheen eerst op"),
        "more": " [&#8230;]",
        "more_text": "[…]",
    },
    entries=[NL1, NL2],
    forbidden=["verscheen eerst op"],
)

# --------------------------------------------------- Хайтек Ньюс (Yandex RSS, ru, UTF-8)

HT = "https://hitech-news.example"

RU1 = Entry(
    guid=f"{HT}/news/58213",
    link=f"{HT}/news/58213-xiaomi-xring-o1/",
    title="Xiaomi представила собственный процессор для смартфонов",
    published="2025-06-11 09:15",
    author="Алексей Смирнов",
    tags=["Xiaomi", "Процессоры"],
    language="ru",
    body=[
        "Xiaomi показала процессор XRING O1 собственной разработки. Чип выпускается по 3-нм техпроцессу и получил десятиядерный центральный процессор.",
        "Первым устройством с новым процессором станет смартфон Xiaomi 15S Pro, продажи которого начнутся в Китае в июле.",
    ],
    suffix=f' <a href="{HT}/news/58213-xiaomi-xring-o1/">Читать далее</a>',
    tail=[
        "<p><em>Подписывайтесь на наш Telegram-канал, чтобы не пропустить главные новости.</em></p>"
    ],
    topics=["xiaomi", "chips"],
    facts=[["XRING O1"], ["3-нм", "3 нм"]],
    forbidden=["Читать далее", "Подписывайтесь", "Telegram-канал"],
    cases=["boilerplate-summary"],
)

RU2 = Entry(
    guid=f"{HT}/news/58207",
    link=f"{HT}/news/58207-atom-serijnoe-proizvodstvo/",
    title="Российские электромобили: что будет с «Атомом»",
    published="2025-06-10 16:40",
    author="Ирина Волкова",
    tags=["Электромобили"],
    language="ru",
    body=[
        "Проект «Атом» был представлен в 2022 году как первый российский городской электромобиль с собственным программным обеспечением.",
        "С тех пор сроки запуска производства несколько раз переносились, а стоимость машины выросла.",
        "Рынок электромобилей в России остаётся небольшим: в прошлом году было продано около 11 тысяч новых машин.",
        "На этой неделе компания объявила, что серийная сборка начнётся 1 сентября на бывшем заводе ЗИЛ в Москве, а аккумуляторы будут поставлять из Китая.",
        "Первая партия составит 500 машин.",
    ],
    topics=["ev", "battery"],
    facts=[["1 сентября"], ["ЗИЛ"]],
    cases=["late-news"],
)

RU3 = Entry(
    guid=f"{HT}/news/58199",
    link=f"{HT}/news/58199-tsmc-vyruchka-maj/",
    title="Выручка TSMC в мае выросла на 40%",
    published="2025-06-10 10:00",
    author="Алексей Смирнов",
    tags=["TSMC"],
    language="ru",
    body=[
        "Тайваньская TSMC, крупнейший в мире контрактный производитель полупроводников, получила в мае выручку 320,5 млрд тайваньских долларов. Это на 40% больше, чем годом ранее.",
    ],
    topics=["tsmc", "chips"],
    facts=[["320,5"], ["40%"]],
    cases=["control"],
)

RU4 = Entry(
    guid=f"{HT}/news/58190",
    link=f"{HT}/news/58190-moskvich-3e-regiony/",
    title="«Москвич» начал продавать электромобиль 3е в регионах",
    published="2025-06-09 12:30",
    author="Ирина Волкова",
    tags=["Электромобили"],
    language="ru",
    body=[
        "Завод «Москвич» начал продажи электромобиля «Москвич 3е» в 40 регионах России. Цена модели — от 3,9 млн рублей, запас хода — до 410 км.",
    ],
    tail=[
        f'<p><strong>Читайте также:</strong> <a href="{HT}/news/58150-samsung-2nm/">Samsung начала выпуск 2-нм чипов для смартфонов</a></p>'
    ],
    topics=["ev"],
    facts=[["40 регионах"], ["3,9 млн"]],
    forbidden=["Читайте также", "2-нм чипов"],
    cases=["boilerplate-alert"],
    note="'Читайте также' brings Samsung and chips: phones-cars-chips must not fire.",
)

RU5 = Entry(
    guid=f"{HT}/news/58184",
    link=f"{HT}/news/58184-kazan-it-park/",
    title="В Казани открылся второй IT-парк",
    published="2025-06-09 08:00",
    author="Алексей Смирнов",
    tags=["Регионы"],
    language="ru",
    body=[
        "В Казани открылся второй IT-парк площадью 40 тысяч квадратных метров. В нём разместятся 120 компаний и центр подготовки программистов.",
    ],
    topics=[],
    facts=[["Казани"], ["120"]],
    cases=["control"],
)

RU6 = Entry(
    guid=f"{HT}/news/58178",
    link=f"{HT}/news/58178-samsung-servis-ekaterinburg/",
    title="Samsung открыла авторизованный сервис в Екатеринбурге",
    published="2025-06-08 11:00",
    author="Ирина Волкова",
    tags=["Samsung"],
    language="ru",
    body=[
        "Samsung открыла в Екатеринбурге авторизованный сервисный центр, где ремонтируют смартфоны, планшеты и телевизоры. Срок ремонта — до трёх дней.",
    ],
    topics=["samsung"],
    facts=[["Екатеринбург"], ["трёх дней"]],
    cases=["control"],
)

HITECH = Feed(
    file="hitech-ru.xml",
    kind="yandex",
    content_type="application/rss+xml; charset=utf-8",
    encoding="utf-8",
    problem="boilerplate: 'Читать далее', a Telegram call, 'Читайте также'; yandex:full-text",
    site={
        "title": "Хайтек Ньюс",
        "tz": "3",
        "link": HT,
        "description": "Новости технологий",
        "language": "ru",
        "built": "2025-06-12 05:30",
        "generator": "Bitrix",
    },
    entries=[RU1, RU2, RU3, RU4, RU5, RU6],
)

# ------------------------------------------ Приморские вести (windows-1251, undeclared)

PV = "http://primvesti.example"

W1 = Entry(
    guid=f"{PV}/news/2025/06/11/12345.html",
    link=f"{PV}/news/2025/06/11/12345.html",
    title="Продажи электромобилей в Приморье выросли вдвое",
    published="2025-06-11 03:20",
    language="ru",
    body=[
        "За пять месяцев в Приморском крае зарегистрировали 4 200 электромобилей — вдвое больше, чем год назад. Большинство машин ввезены из Китая, чаще всего это модели BYD и Zeekr.",
        "Владельцы жалуются на нехватку быстрых зарядных станций и дорогую замену аккумуляторов.",
    ],
    suffix=f' <a href="{PV}/news/2025/06/11/12345.html">Читать далее »</a>',
    topics=["ev", "byd", "battery"],
    facts=[["4 200", "4200"], ["вдвое"]],
    forbidden=["Читать далее"],
    cases=["encoding", "boilerplate-summary"],
)

W2 = Entry(
    guid=f"{PV}/news/2025/06/10/12331.html",
    link=f"{PV}/news/2025/06/10/12331.html",
    title="Во Владивостоке открылся сервис для владельцев Теслы",
    published="2025-06-10 05:00",
    language="ru",
    body=[
        "Во Владивостоке открылся первый независимый сервис по ремонту автомобилей Тесла. Мастера обещают менять блоки батарей за три дня; запчасти везут из ОАЭ.",
    ],
    topics=["tesla", "battery"],
    facts=[["Владивосток"], ["три дня"]],
    cases=["encoding"],
)

W3 = Entry(
    guid=f"{PV}/news/2025/06/09/12310.html",
    link=f"{PV}/news/2025/06/09/12310.html",
    title="В Находке отремонтируют набережную",
    published="2025-06-09 02:00",
    language="ru",
    body=[
        "Власти Находки выделили 180 млн рублей на ремонт набережной. Работы начнутся в июле и завершатся к осени 2026 года.",
    ],
    topics=[],
    facts=[["180 млн"], ["Находк"]],
    cases=["encoding"],
)

PRIMVESTI = Feed(
    file="primvesti-cp1251.xml",
    kind="rss",
    content_type="text/xml",
    encoding="cp1251",
    declared=None,
    problem="encoding: windows-1251 bytes, no charset in Content-Type, no encoding in the XML declaration (XML then means UTF-8; RFC 3023 text/xml means US-ASCII)",
    site={
        "title": "Приморские вести",
        "tz": "10",
        "link": PV + "/",
        "description": "Новости Приморья",
        "built": "2025-06-11 22:00",
        "generator": "DataLife Engine",
    },
    entries=[W1, W2, W3],
)

FEEDS = [
    EVDAILY,
    TECHWELT,
    VOITURES,
    MOTORECO,
    TECNOITALIA,
    RODASVERDES,
    AUTONIEUWS,
    HITECH,
    PRIMVESTI,
]
