"""Sources of the Korean, Japanese and Chinese publishers' feeds, several of them in the
legacy encodings (and the wrong declarations) such sites still send.

Publishers, people and events are invented for this set; company names are real because
users follow them. Each entry's labels sit next to its text.
"""

# ruff: noqa: E501

from __future__ import annotations

from feedset import Entry, Feed

# ------------------------------------------ 한국IT뉴스 (declared EUC-KR, sent as CP949)

HK = "http://www.hankookitnews.example/news/articleView.html?idxno="
HK_COPYRIGHT = "<p>&lt;저작권자 ⓒ 한국IT뉴스, 무단 전재 및 재배포 금지&gt;</p>"

K1 = Entry(
    guid=f"{HK}204311",
    link=f"{HK}204311",
    title="삼성전자, 평택 4공장 가동 앞당긴다…HBM 수요 대응",
    published="2025-06-11 01:12",
    author="홍길동 기자",
    language="ko",
    prefix="(서울=한국IT뉴스) 홍길동 기자 = ",
    body=[
        "삼성전자가 경기 평택캠퍼스 4공장(P4)의 가동 시점을 내년 상반기로 앞당긴다. 업계에 따르면 삼성전자는 P4에 10나노급 6세대(1c) D램 생산라인을 우선 구축해 고대역폭메모리(HBM) 수요에 대응할 계획이다.",
        '투자 규모는 약 30조 원으로 추산된다. 삼성전자 관계자는 "반도체 시황에 맞춰 투자 속도를 조절하고 있다"고 말했다.',
    ],
    tail=[HK_COPYRIGHT],
    topics=["samsung", "chips"],
    facts=[["평택"], ["30조"]],
    forbidden=["(서울=한국IT뉴스)", "홍길동 기자", "저작권자", "무단 전재"],
    cases=["encoding", "boilerplate-summary"],
    note="Whole document declared EUC-KR but written in CP949; this item matches only when decoded as CP949.",
)

K2 = Entry(
    guid=f"{HK}204298",
    link=f"{HK}204298",
    title="샤오미, 한국서 전기차 판매 검토…내년 출시 유력",
    published="2025-06-10 23:40",
    author="이영희 기자",
    language="ko",
    prefix="(서울=한국IT뉴스) 이영희 기자 = ",
    body=[
        "중국 샤오미가 한국 시장에 전기차 SU7을 출시하는 방안을 검토하고 있는 것으로 알려졌다. 업계에 따르면 샤오미는 최근 국내 수입차 딜러사 두 곳과 판매 계약을 논의했다.",
        "출시 시점은 내년 상반기가 유력하다.",
    ],
    tail=[HK_COPYRIGHT],
    topics=["xiaomi", "ev"],
    facts=[["SU7"], ["내년 상반기"]],
    forbidden=["(서울=한국IT뉴스)", "이영희 기자", "저작권자", "무단 전재"],
    cases=["encoding", "boilerplate-summary"],
)

K3 = Entry(
    guid=f"{HK}204287",
    link=f"{HK}204287",
    title="푸드테크 스타트업 '밀키트랩', 똠얌꿍 밀키트로 동남아 공략",
    published="2025-06-10 22:05",
    author="홍길동 기자",
    language="ko",
    prefix="(서울=한국IT뉴스) 홍길동 기자 = ",
    body=[
        "푸드테크 스타트업 밀키트랩이 태국식 수프 똠얌꿍 밀키트를 앞세워 싱가포르와 태국 시장에 진출한다. 회사는 올해 동남아 매출 50억 원을 목표로 하고 있다.",
    ],
    tail=[HK_COPYRIGHT],
    topics=[],
    facts=[["똠얌꿍"], ["50억"]],
    forbidden=["(서울=한국IT뉴스)", "홍길동 기자", "저작권자"],
    cases=["encoding"],
    note="'똠' exists in CP949 (UHC) but not in EUC-KR (KS X 1001): strict EUC-KR decoding of the document fails here.",
)

HANKOOK = Feed(
    file="hankookit-euckr.xml",
    kind="rss",
    content_type="text/xml; charset=euc-kr",
    encoding="cp949",
    declared="euc-kr",
    problem="encoding: declared EUC-KR (header and XML declaration) but written in CP949, with a syllable EUC-KR lacks",
    site={
        "title": "한국IT뉴스",
        "tz": "9",
        "link": "http://www.hankookitnews.example/",
        "description": "IT·전자·통신 뉴스",
        "language": "ko",
        "built": "2025-06-11 01:30",
        "generator": "ndsoft",
    },
    entries=[K1, K2, K3],
)

# --------------------------------------------------------------- 테크데일리 (UTF-8, ko)

TD = "https://www.techdaily.example/news/articleView.html?idxno="

KN1 = Entry(
    guid=f"{TD}88120",
    link=f"{TD}88120",
    title="'배터리 코리아 2025' 개막…LG엔솔·SK온 차세대 배터리 공개",
    published="2025-06-11 02:30",
    author="박민수 기자",
    language="ko",
    body=[
        "서울 강남구 삼성동 코엑스에서 11일 '배터리 코리아 2025'가 개막했다. LG에너지솔루션과 SK온은 전기차용 46시리즈 원통형 배터리와 리튬인산철(LFP) 배터리를 나란히 전시했다.",
        "전시는 13일까지 이어지며, 국내외 400여 개 기업이 참가했다.",
    ],
    topics=["battery", "ev"],
    facts=[["코엑스"], ["46시리즈"]],
    cases=["exclusion"],
    note="삼성동 is the Seoul district where COEX stands, not Samsung: phones-cars-chips must not fire.",
)

KN2 = Entry(
    guid=f"{TD}88118",
    link=f"{TD}88118",
    title="삼성SDI, 전고체 배터리 샘플 첫 공개",
    published="2025-06-11 02:10",
    author="박민수 기자",
    language="ko",
    body=[
        "삼성SDI가 서울 삼성동 코엑스에서 열린 '배터리 코리아 2025'에서 전기차용 전고체 배터리 샘플을 처음 공개했다. 에너지 밀도는 리터당 900Wh 수준이며, 2027년 양산이 목표다.",
    ],
    topics=["samsung", "battery", "ev"],
    facts=[["전고체"], ["900Wh"]],
    cases=["exclusion"],
    note="삼성동 next to 삼성SDI: Samsung is in this story (an exclusion of 삼성동 must not hide it).",
)

KN3 = Entry(
    guid=f"{TD}88105",
    link=f"{TD}88105",
    title="K-배터리, 북미 전략 다시 짠다",
    published="2025-06-10 21:00",
    author="정수진 기자",
    language="ko",
    body=[
        "국내 배터리 3사는 지난 몇 년간 미국 인플레이션감축법(IRA) 보조금을 노리고 북미에 공장을 잇달아 세웠다.",
        "하지만 전기차 수요 둔화로 가동률이 떨어지면서 일부 라인은 에너지저장장치(ESS)용으로 전환됐다.",
        "업계에서는 추가 투자를 미루는 분위기가 확산하고 있다.",
        "이런 가운데 SK온은 10일 포드와 합작한 켄터키 2공장의 운영 방식을 두고 포드와 협상을 시작했다고 밝혔다.",
        "협상 결과에 따라 2공장은 포드 대신 다른 완성차 업체에 배터리를 공급할 수도 있다.",
    ],
    topics=["battery", "ev"],
    facts=[["켄터키"], ["협상"]],
    cases=["late-news"],
)

KN4 = Entry(
    guid=f"{TD}88097",
    link=f"{TD}88097",
    title="샤오미, 보급형 전기차 내년 출시…20만 위안대",
    published="2025-06-10 08:15",
    author="김철수 기자",
    language="ko",
    prefix="(세종=테크데일리) 김철수 기자 = ",
    body=[
        "샤오미가 20만 위안대 보급형 전기차를 내년 하반기 중국에서 출시한다. 샤오미는 기존 SU7과 YU7보다 작은 해치백 모델을 개발 중이며, 생산은 베이징 2공장에서 맡는다.",
    ],
    suffix=f' <a href="{TD}88097">더보기</a>',
    topics=["xiaomi", "ev"],
    facts=[["20만 위안"], ["내년 하반기"]],
    forbidden=["(세종=테크데일리)", "김철수 기자", "더보기"],
    cases=["boilerplate-summary"],
)

KN5 = Entry(
    guid=f"{TD}88090",
    link=f"{TD}88090",
    title="LG에너지솔루션, 폴란드 공장에 LFP 라인 증설",
    published="2025-06-10 06:00",
    author="정수진 기자",
    language="ko",
    body=[
        "LG에너지솔루션이 폴란드 브로츠와프 공장에 전기차용 리튬인산철(LFP) 배터리 생산라인을 증설한다. 투자액은 약 1조 원으로, 2026년 말 양산이 목표다.",
    ],
    tail=[
        f'<div class="relation"><p>관련기사</p><ul><li><a href="{TD}88011">삼성전자, 2나노 차량용 반도체 양산 돌입</a></li><li><a href="{TD}87990">SK온, 美 조지아 공장 가동률 회복</a></li></ul></div>'
    ],
    topics=["battery", "ev"],
    facts=[["브로츠와프", "폴란드"], ["1조"]],
    forbidden=["관련기사", "2나노 차량용 반도체", "조지아 공장"],
    cases=["boilerplate-alert"],
    note="The related-articles list brings Samsung and chips: phones-cars-chips must not fire.",
)

KN6 = Entry(
    guid=f"{TD}88082",
    link=f"{TD}88082",
    title="테슬라, 모델Y 국내 가격 300만원 인하",
    published="2025-06-09 23:00",
    author="박민수 기자",
    language="ko",
    body=[
        "테슬라코리아가 모델Y 후륜구동 모델의 가격을 5299만원에서 4999만원으로 300만원 내렸다. 전기차 보조금을 받으면 실구매가는 4000만원대 초반이 된다.",
    ],
    topics=["tesla", "ev"],
    facts=[["4999만원"], ["300만원"]],
    cases=["control"],
)

KN7 = Entry(
    guid=f"{TD}88075",
    link=f"{TD}88075",
    title="카카오모빌리티, 판교서 자율주행 택시 시범 운행",
    published="2025-06-09 05:00",
    author="정수진 기자",
    language="ko",
    body=[
        "카카오모빌리티가 경기 성남시 판교 일대에서 자율주행 택시 시범 운행을 시작한다. 차량 5대가 투입되며 운행 시간은 평일 오전 10시부터 오후 4시까지다.",
    ],
    topics=[],
    facts=[["판교"], ["5대"]],
    cases=["control"],
)

TECHDAILY = Feed(
    file="techdaily-ko.xml",
    kind="rss",
    content_type="application/rss+xml; charset=utf-8",
    encoding="utf-8",
    problem="boilerplate: bylines '(세종=…) … 기자 =', '더보기', related-article lists; 삼성동 (a Seoul district)",
    site={
        "title": "테크데일리",
        "tz": "9",
        "link": "https://www.techdaily.example/",
        "description": "테크데일리 전체기사",
        "language": "ko",
        "built": "2025-06-11 02:40",
    },
    entries=[KN1, KN2, KN3, KN4, KN5, KN6, KN7],
)

# ---------------------------------- 電機新報 (RSS 1.0, declared Shift_JIS, sent as CP932)

DS = "https://www.denki-shimpo.example/"

J1 = Entry(
    guid=f"{DS}news/20250612_0003.html",
    link=f"{DS}news/20250612_0003.html",
    title="京セラ㈱、長崎に半導体部品の新工場",
    published="2025-06-11 23:30",
    language="ja",
    tags=["電子部品"],
    body=[
        "京セラ㈱は11日、長崎県諫早市に半導体製造装置向けセラミック部品の新工場を建設すると発表した。投資額は約620億円で、2026年度の稼働を目指す。新工場では①大型部品の一貫生産、②自動化による省人化――を進める。",
    ],
    suffix="（髙橋健）",
    topics=["chips"],
    facts=[["諫早"], ["620億円"]],
    forbidden=["髙橋健"],
    cases=["encoding", "boilerplate-summary"],
    note="㈱, ①, ② and 髙 are CP932 (NEC/IBM) characters that Shift_JIS lacks; the reporter's name ends the text.",
)

J2 = Entry(
    guid=f"{DS}news/20250612_0002.html",
    link=f"{DS}news/20250612_0002.html",
    title="TSMC熊本第２工場、来年着工へ　車載半導体も生産",
    published="2025-06-11 22:00",
    language="ja",
    tags=["半導体"],
    body=[
        "台湾積体電路製造（TSMC）は熊本県菊陽町に計画する第２工場について、2026年前半の着工を目指す。回路線幅６ナノメートル品のほか、電気自動車（EV）向けの車載半導体も生産する。総投資額は約２兆９千億円。",
    ],
    suffix="…続きを読む",
    topics=["tsmc", "chips", "ev"],
    facts=[["第２工場", "第2工場"], ["2026年前半"]],
    forbidden=["続きを読む"],
    cases=["encoding", "boilerplate-summary"],
)

J3 = Entry(
    guid=f"{DS}news/20250612_0001.html",
    link=f"{DS}news/20250612_0001.html",
    title="シャープ、堺工場の一部をデータセンターに転用",
    published="2025-06-11 21:00",
    language="ja",
    tags=["電機"],
    body=[
        "シャープは液晶パネルの生産を停止した堺工場の一部を、KDDIなどと共同でAI向けデータセンターに転用する。2026年３月の稼働を予定している。",
    ],
    topics=[],
    facts=[["堺工場"], ["データセンター"]],
    cases=["encoding"],
)

J4 = Entry(
    guid=f"{DS}news/20250611_0012.html",
    link=f"{DS}news/20250611_0012.html",
    title="サムスン電子、２ナノ半導体の歩留まり改善",
    published="2025-06-11 09:00",
    language="ja",
    tags=["半導体"],
    body=[
        "韓国サムスン電子は、回路線幅２ナノメートルの最先端半導体の歩留まりが６割を超えたと明らかにした。年内に米テキサス州の工場でも量産を始める。",
    ],
    topics=["samsung", "chips"],
    facts=[["６割", "6割"], ["テキサス"]],
    cases=["encoding"],
)

DENKI = Feed(
    file="denki-sjis.xml",
    kind="rdf",
    content_type="application/rss+xml; charset=Shift_JIS",
    encoding="cp932",
    declared="Shift_JIS",
    problem="encoding: RSS 1.0 declared Shift_JIS (header and XML declaration) but written in CP932 (㈱, ①, 髙)",
    site={
        "title": "電機新報",
        "link": DS,
        "description": "電機・電子部品・半導体の専門ニュース",
        "language": "ja",
        "built": "2025-06-11 23:40",
    },
    entries=[J1, J2, J3, J4],
)

# --------------------------------------- 関西経済ニュース (EUC-JP, damaged by its CMS)

KK = "https://www.kansai-keizai.example/article/"


def _eucjp_damage(data: bytes) -> bytes:
    """What the CMS does: descriptions cut at a byte limit (half a character left), and an
    ad line pasted in from a Shift_JIS template."""
    while b"@@CUT@@" in data:
        at = data.index(b"@@CUT@@")
        data = data[: at - 1] + data[at + len(b"@@CUT@@") :]
    while b"@@SJIS@@" in data:
        start = data.index(b"@@SJIS@@")
        end = data.index(b"@@END@@", start)
        pasted = data[start + len(b"@@SJIS@@") : end].decode("euc_jp").encode("cp932")
        data = data[:start] + pasted + data[end + len(b"@@END@@") :]
    return data


X1 = Entry(
    guid=f"{KK}20250611-00042",
    link=f"{KK}20250611-00042",
    title="シャオミ、日本でEV販売へ　2027年にも",
    published="2025-06-11 06:00",
    language="ja",
    body=[
        "中国のシャオミは、日本で電気自動車（EV）の販売を始める方針を明らかにした。2027年にも参入し、まずはSUV「YU7」を投入する。",
        "販売は東京と大阪のショールームから始め、大阪では梅田に拠点を設ける計画だ。ショールームでは同社のスマートフォンや家電も展示",
    ],
    suffix="す@@CUT@@...",
    topics=["xiaomi", "ev"],
    facts=[["2027年"], ["YU7"]],
    forbidden=["\ufffd"],
    cases=["encoding"],
    note="Declared EUC-JP; the CMS cut the description at a byte limit inside a character.",
)

X2 = Entry(
    guid=f"{KK}20250610-00031",
    link=f"{KK}20250610-00031",
    title="パナソニック、大阪・住之江で車載電池の新工場",
    published="2025-06-10 05:00",
    language="ja",
    body=[
        "パナソニック エナジーは大阪市住之江区に電気自動車向け電池の新工場を建設すると発表した。投資額は約1500億円で、2028年の稼働を目指す。",
    ],
    topics=["ev", "battery"],
    facts=[["住之江"], ["1500億円"]],
    cases=["encoding"],
)

X3 = Entry(
    guid=f"{KK}20250610-00027",
    link=f"{KK}20250610-00027",
    title="大阪・関西万博、来場者1000万人を突破",
    published="2025-06-10 03:00",
    language="ja",
    body=[
        "大阪・関西万博の一般来場者数が10日、1000万人を突破した。会期は10月13日まで。",
    ],
    tail=["<p>@@SJIS@@【PR】関西の求人情報は「かんさいワーク」で@@END@@</p>"],
    topics=[],
    facts=[["1000万人"], ["10月13日"]],
    forbidden=["\ufffd"],
    cases=["encoding"],
    note="An ad line in Shift_JIS bytes inside the EUC-JP document.",
)

KANSAI = Feed(
    file="kansai-eucjp.xml",
    kind="rss",
    content_type="text/xml; charset=EUC-JP",
    encoding="euc_jp",
    declared="EUC-JP",
    problem="encoding: a broken EUC-JP document (a character cut in half, a line of Shift_JIS bytes)",
    site={
        "title": "関西経済ニュース",
        "tz": "9",
        "link": "https://www.kansai-keizai.example/",
        "description": "関西の経済ニュース",
        "language": "ja",
        "built": "2025-06-11 06:10",
    },
    entries=[X1, X2, X3],
    damage=_eucjp_damage,
)

# ------------------------------------------ 科技报 (declared GB2312, sent as GB18030)

KJ = "http://www.kejibao.example/2025/"

C1 = Entry(
    guid=f"{KJ}0611/c1004-40501234.html",
    link=f"{KJ}0611/c1004-40501234.html",
    title="比亚迪匈牙利工厂投产 首款车型为海豚Surf",
    published="2025-06-11 02:00",
    language="zh",
    head=["<p>来源：科技报</p>"],
    body=[
        "比亚迪11日宣布，其位于匈牙利塞格德的乘用车工厂正式投产，首款车型为纯电动车海豚Surf，欧洲售价22990欧元起。",
        "比亚迪欧洲区负责人李喆表示，该工厂一期年产能15万辆，预计到2026年底雇用约3000名员工。",
    ],
    tail=["<p>（责任编辑：王堃）</p>"],
    topics=["byd", "ev"],
    facts=[["塞格德", "匈牙利"], ["15万辆"]],
    forbidden=["来源：科技报", "责任编辑", "王堃"],
    cases=["encoding", "boilerplate-summary"],
    note="喆 and 堃 are GBK/GB18030 characters that GB2312 lacks.",
)

C2 = Entry(
    guid=f"{KJ}0610/c1004-40500871.html",
    link=f"{KJ}0610/c1004-40500871.html",
    title="小米自研手机芯片玄戒O1出货量突破100万颗",
    published="2025-06-10 08:00",
    language="zh",
    body=[
        "小米集团10日表示，自研手机芯片玄戒O1出货量已突破100万颗。该芯片采用第二代3纳米工艺，搭载于小米15S Pro和小米平板7 Ultra。",
    ],
    topics=["xiaomi", "chips"],
    facts=[["100万颗"], ["3纳米"]],
    cases=["encoding"],
)

C3 = Entry(
    guid=f"{KJ}0610/c1004-40500655.html",
    link=f"{KJ}0610/c1004-40500655.html",
    title="台积电5月营收同比增长40%",
    published="2025-06-10 06:30",
    language="zh",
    body=[
        "台积电10日公布，5月营收为3205亿元新台币，同比增长39.6%，环比下降8.3%。人工智能芯片需求依然强劲。",
    ],
    topics=["tsmc", "chips"],
    facts=[["3205亿"], ["39.6%"]],
    cases=["encoding"],
)

C4 = Entry(
    guid=f"{KJ}0609/c1004-40500102.html",
    link=f"{KJ}0609/c1004-40500102.html",
    title="北京地铁17号线全线贯通",
    published="2025-06-09 07:00",
    language="zh",
    body=[
        "北京地铁17号线北段9日开通试运营，实现全线贯通。线路全长49.7公里，连接未来科学城与亦庄站前区。",
    ],
    topics=[],
    facts=[["17号线"], ["49.7公里"]],
    cases=["encoding"],
)

KEJIBAO = Feed(
    file="kejibao-gb2312.xml",
    kind="rss",
    content_type="text/xml; charset=gb2312",
    encoding="gb18030",
    declared="gb2312",
    problem="encoding: declared GB2312 (header and XML declaration) but written in GB18030 (喆, 堃)",
    site={
        "title": "科技报",
        "tz": "8",
        "link": "http://www.kejibao.example/",
        "description": "科技报-科技频道",
        "language": "zh-cn",
        "built": "2025-06-11 02:30",
    },
    entries=[C1, C2, C3, C4],
)

# ------------------------------------------------ 電子時報網 (Big5, declared nowhere)

DZ = "http://www.dianzi-tw.example/news/"

D1 = Entry(
    guid=f"{DZ}20250610-331208",
    link=f"{DZ}20250610-331208",
    title="台積電5月營收年增四成　AI需求強勁",
    published="2025-06-10 09:30",
    language="zh",
    body=[
        "台積電10日公布5月營收新台幣3205億元，年增39.6%。法人指出，人工智慧與高效能運算需求持續強勁，先進製程產能仍吃緊，半導體供應鏈下半年展望正向。",
    ],
    topics=["tsmc", "chips"],
    facts=[["3205億"], ["39.6%"]],
    cases=["encoding", "traditional"],
    note="Big5 with no declaration anywhere; 台積電 is a term as written, 半導體 is the traditional form of the term 半导体.",
)

D2 = Entry(
    guid=f"{DZ}20250610-331190",
    link=f"{DZ}20250610-331190",
    title="比亞迪在台推出電動車　首款車型海豚",
    published="2025-06-10 07:00",
    language="zh",
    body=[
        "比亞迪宣布正式在台灣推出電動車，首款車型為海豚，售價新台幣99萬元起，首批200輛將於7月交車。",
    ],
    topics=["byd", "ev"],
    facts=[["99萬元"], ["200輛"]],
    cases=["encoding", "traditional"],
    note="比亞迪 and 電動車 are the traditional forms of the terms 比亚迪 and 电动车.",
)

D3 = Entry(
    guid=f"{DZ}20250609-331102",
    link=f"{DZ}20250609-331102",
    title="三星電子推出新一代車用半導體",
    published="2025-06-09 08:00",
    language="zh",
    body=[
        "三星電子發表新一代車用半導體，採用5奈米製程，主要供應先進駕駛輔助系統，預計明年第一季量產。",
    ],
    topics=["samsung", "chips"],
    facts=[["5奈米"], ["明年第一季"]],
    cases=["encoding", "traditional"],
)

D4 = Entry(
    guid=f"{DZ}20250609-331087",
    link=f"{DZ}20250609-331087",
    title="台北捷運環狀線北環段明年通車",
    published="2025-06-09 06:00",
    language="zh",
    body=[
        "台北市捷運局表示，環狀線北環段工程進度已達85%，預計明年底通車，屆時將串聯士林、大直與內湖。",
    ],
    topics=[],
    facts=[["85%"], ["明年底"]],
    cases=["encoding"],
)

DIANZI = Feed(
    file="dianzi-big5.xml",
    kind="rss",
    content_type="application/rss+xml",
    encoding="big5",
    declared=None,
    problem="encoding: Big5 bytes with no charset in Content-Type and no encoding in the XML declaration",
    site={
        "title": "電子時報網",
        "tz": "8",
        "link": "http://www.dianzi-tw.example/",
        "description": "電子時報網 即時新聞",
        "language": "zh-tw",
        "built": "2025-06-10 10:00",
    },
    entries=[D1, D2, D3, D4],
)

# ---------------------------------------------------------------- 今日科技 (UTF-8, zh)

JR = "https://www.jinrikeji.example/news/2025/"

Z1 = Entry(
    guid=f"{JR}06/11/601234.shtml",
    link=f"{JR}06/11/601234.shtml",
    title="一位网约车司机的一天",
    published="2025-06-11 00:30",
    language="zh",
    body=[
        "早上六点，王师傅在小区门口的早餐店喝完一碗小米粥，就开着自己的纯电动汽车出门接单。",
        "他说，换成电动汽车后，每公里成本从六毛降到了一毛多，一年能省下两万多元。",
        "但冬天续航缩水、充电排队，仍然让他头疼。",
    ],
    topics=["ev"],
    facts=[["两万多元", "两万"], ["一毛"]],
    cases=["exclusion"],
    note="小米粥 is millet porridge, not Xiaomi: phones-cars-chips must not fire.",
)

Z2 = Entry(
    guid=f"{JR}06/11/601229.shtml",
    link=f"{JR}06/11/601229.shtml",
    title="比亚迪纯电动客车投入三星堆景区专线",
    published="2025-06-10 23:50",
    language="zh",
    body=[
        "四川广汉三星堆博物馆景区专线近日投入20辆比亚迪K9纯电动客车。",
        "景区停车场同时新建60个电动汽车充电车位，供自驾游客使用。暑期客流高峰期间，专线将加密至每10分钟一班。",
    ],
    topics=["byd", "ev"],
    facts=[["20辆"], ["60个"]],
    cases=["exclusion"],
    note="三星堆 is an archaeological site, not Samsung: phones-cars-chips must not fire.",
)

Z3 = Entry(
    guid=f"{JR}06/10/601188.shtml",
    link=f"{JR}06/10/601188.shtml",
    title="特斯拉上海工厂的第二个五年",
    published="2025-06-10 10:00",
    language="zh",
    body=[
        "2019年底，特斯拉上海超级工厂交付首批国产Model 3，成为特斯拉在美国以外的第一家整车厂。",
        "此后，上海工厂的年产能扩大到95万辆以上，产品出口到欧洲和亚太多个市场。",
        "2024年，特斯拉又在临港建成储能超级工厂，生产Megapack储能电池。",
        "本周，特斯拉与上海市签署协议，将投资约40亿元建设储能超级工厂二期，预计2026年投产。",
        "二期建成后，年产能将翻倍至80吉瓦时。",
    ],
    topics=["tesla", "battery"],
    facts=[["二期"], ["40亿元"]],
    cases=["late-news"],
)

Z4 = Entry(
    guid=f"{JR}06/10/601170.shtml",
    link=f"{JR}06/10/601170.shtml",
    title="小米汽车二期工厂竣工 年产能将达30万辆",
    published="2025-06-10 08:20",
    language="zh",
    head=["<p>本报记者 刘洋 北京报道</p>"],
    body=[
        "小米汽车位于北京亦庄的二期工厂日前竣工，将主要生产SUV车型YU7。两期工厂合计年产能将达30万辆。",
        "小米集团表示，今年电动汽车交付目标为35万辆。",
    ],
    suffix=f' <a href="{JR}06/10/601170.shtml">阅读全文</a>',
    tail=["<p>（来源：今日科技　责任编辑：陈静）</p>"],
    topics=["xiaomi", "ev"],
    facts=[["30万辆"], ["亦庄"]],
    forbidden=["本报记者", "刘洋", "阅读全文", "来源：今日科技", "责任编辑", "陈静"],
    cases=["boilerplate-summary"],
)

Z5 = Entry(
    guid=f"{JR}06/10/601152.shtml",
    link=f"{JR}06/10/601152.shtml",
    title="比亚迪第二代刀片电池量产",
    published="2025-06-10 05:10",
    language="zh",
    body=[
        "比亚迪第二代刀片电池日前在重庆工厂开始量产，能量密度提升约15%，将首先用于汉L等电动汽车车型。",
    ],
    tail=[
        f'<div class="related"><p>相关阅读：</p><ul><li><a href="{JR}06/08/600987.shtml">小米汽车回应芯片自研传闻</a></li><li><a href="{JR}06/07/600912.shtml">宁德时代发布钠离子电池新品</a></li></ul></div>'
    ],
    topics=["byd", "battery", "ev"],
    facts=[["重庆"], ["15%"]],
    forbidden=["相关阅读", "小米汽车回应", "宁德时代发布"],
    cases=["boilerplate-alert"],
    note="The related-reading list brings Xiaomi and chips: phones-cars-chips must not fire.",
)

Z6 = Entry(
    guid=f"{JR}06/10/601140.shtml",
    link=f"{JR}06/10/601140.shtml",
    title="比亞迪電動汽車5月銷量創新高",
    published="2025-06-10 03:00",
    language="zh",
    body=[
        "比亞迪公布，5月電動汽車銷量達38.2萬輛，按年增長約15%，其中海外銷量逾8.9萬輛。",
    ],
    topics=["byd", "ev"],
    facts=[["38.2萬", "38.2万"], ["8.9萬", "8.9万"]],
    cases=["traditional"],
    note="A Hong Kong wire in traditional characters inside a simplified feed: 比亞迪 is 比亚迪, 電動汽車 is 电动汽车.",
)

Z7 = Entry(
    guid=f"{JR}06/11/601240.shtml",
    link=f"{JR}06/11/601240.shtml",
    title="北京发布今年首个高温黄色预警",
    published="2025-06-11 04:10",
    language="zh",
    body=[
        "北京市气象台11日12时发布高温黄色预警，预计11日至13日本市平原地区最高气温将达35℃以上。",
    ],
    topics=[],
    facts=[["高温黄色预警"], ["35℃"]],
    cases=["control"],
)

Z8 = Entry(
    guid=f"{JR}06/09/601098.shtml",
    link=f"{JR}06/09/601098.shtml",
    title="台积电2纳米工艺下半年量产",
    published="2025-06-09 09:00",
    language="zh",
    head=[
        '<p style="text-align:center"><img src="https://img.jinrikeji.example/2025/06/09/fab.jpg" /></p><p style="text-align:center">图为三星电子位于韩国平泽的晶圆厂（资料图）</p>'
    ],
    body=[
        "台积电表示，2纳米工艺将于今年下半年在新竹宝山工厂量产，良率已超过60%。首批芯片客户包括苹果和AMD。",
    ],
    topics=["tsmc", "chips"],
    facts=[["下半年"], ["60%"]],
    forbidden=["资料图", "平泽"],
    cases=["boilerplate-alert"],
    note="A file photo of a Samsung fab: phones-cars-chips must not fire.",
)

Z9 = Entry(
    guid=f"{JR}06/09/601080.shtml",
    link=f"{JR}06/09/601080.shtml",
    title="华为发布首款鸿蒙笔记本电脑",
    published="2025-06-09 03:00",
    language="zh",
    body=[
        "华为10日发布首款搭载鸿蒙系统的笔记本电脑MateBook Fold，起售价23999元，6月20日开售。",
    ],
    topics=[],
    facts=[["23999元"], ["MateBook"]],
    cases=["control"],
)

JINRI = Feed(
    file="jinrikeji-zh.xml",
    kind="rss",
    content_type="application/xml; charset=utf-8",
    encoding="utf-8",
    problem="boilerplate: 记者…报道, 阅读全文, 来源/责任编辑, 相关阅读, file-photo captions; 小米粥 and 三星堆; a traditional-Chinese wire",
    site={
        "title": "今日科技",
        "tz": "8",
        "link": "https://www.jinrikeji.example/",
        "description": "今日科技 - 新闻频道",
        "language": "zh-cn",
        "built": "2025-06-11 04:30",
    },
    entries=[Z7, Z1, Z2, Z3, Z4, Z5, Z6, Z8, Z9],
)

# ------------------------------------------------------------- テックウォッチ (Atom, ja)

TWJ = "https://www.techwatch.example/"


def _tag(number: int) -> str:
    return f"tag:techwatch.example,2025:news.{number:05d}"


N1 = Entry(
    guid=_tag(10231),
    link=f"{TWJ}news/2025/06/10231/",
    title="テスラ、新型「モデルY」の国内納車を開始",
    published="2025-06-10 03:00",
    author="テックウォッチ編集部",
    language="ja",
    head=["<p>（写真：テスラ提供）</p>"],
    body=[
        "テスラは10日、新型の電気自動車「モデルY」の国内での納車を始めた。価格は558万7000円からで、国の補助金を使うと500万円を切る。航続距離は最長で約635キロ。",
    ],
    tail=[f'<p><a href="{TWJ}news/2025/06/10231/">続きを読む</a></p>'],
    topics=["tesla", "ev"],
    facts=[["558万7000円"], ["635キロ"]],
    forbidden=["写真：テスラ提供", "続きを読む"],
    cases=["boilerplate-summary"],
)

N2 = Entry(
    guid=_tag(10240),
    link=f"{TWJ}news/2025/06/10240/",
    title="BYDが日本で狙う次の一手",
    published="2025-06-11 04:00",
    author="山本理恵",
    language="ja",
    body=[
        "中国のBYDは2023年に日本の乗用車市場に参入し、これまでに「ATTO 3」や「ドルフィン」など4車種を投入した。",
        "全国の販売店は60店を超えたが、年間販売台数は3000台前後にとどまる。",
        "日本の電気自動車市場そのものが伸び悩んでいることも逆風だ。",
        "こうした中、BYDは11日、日本専用に開発した軽自動車規格のEVを2026年後半に発売すると発表した。",
        "価格は200万円台を想定している。",
    ],
    topics=["byd", "ev"],
    facts=[["軽自動車"], ["2026年後半"]],
    cases=["late-news"],
)

N3 = Entry(
    guid=_tag(10228),
    link=f"{TWJ}news/2025/06/10228/",
    title="TSMC熊本工場、地元採用を倍増",
    published="2025-06-09 23:00",
    author="テックウォッチ編集部",
    language="ja",
    body=[
        "台湾積体電路製造（TSMC）の熊本工場を運営するJASMは、2026年春の新卒採用を前年の2倍の約200人に増やす。半導体人材の育成に向け、熊本大学との連携も強化する。",
    ],
    tail=[
        f'<div class="related"><p>関連記事</p><ul><li><a href="{TWJ}news/2025/06/10190/">シャオミ、EV「SU7」を日本で初公開</a></li><li><a href="{TWJ}news/2025/06/10175/">ソニー、画像センサーの新工場を延期</a></li></ul></div>'
    ],
    topics=["tsmc", "chips"],
    facts=[["200人"], ["熊本大学"]],
    forbidden=["関連記事", "SU7", "画像センサー"],
    cases=["boilerplate-alert"],
    note="A related Xiaomi EV headline: phones-cars-chips must not fire.",
)

N4 = Entry(
    guid=_tag(10236),
    link=f"{TWJ}news/2025/06/10236/",
    title="Panasonic Energy to double 4680 cell output for Tesla",
    published="2025-06-10 08:00",
    author="Press release",
    language="en",
    body=[
        "Panasonic Energy said on Wednesday it would double production of its 4680 battery cells at its Wakayama factory by March 2026, mainly for Tesla.",
        "The company will invest about ¥30 billion in the expansion.",
    ],
    topics=["tesla", "battery"],
    facts=[["Wakayama"], ["March 2026"]],
    cases=["language"],
    note="An English press release in a feed that declares ja.",
)

N5 = Entry(
    guid=_tag(10225),
    link=f"{TWJ}news/2025/06/10225/",
    title="サムスン電子、HBM4を年内に量産",
    published="2025-06-09 21:00",
    author="テックウォッチ編集部",
    language="ja",
    body=[
        "韓国サムスン電子は、AI向け半導体メモリー「HBM4」の量産を年内に始めると明らかにした。米エヌビディアにサンプルを出荷済みだという。",
    ],
    topics=["samsung", "chips"],
    facts=[["HBM4"], ["年内"]],
    cases=["control"],
)

N6 = Entry(
    guid=_tag(10244),
    link=f"{TWJ}news/2025/06/10244/",
    title="任天堂「スイッチ2」国内販売300万台突破",
    published="2025-06-11 05:00",
    author="テックウォッチ編集部",
    language="ja",
    body=[
        "任天堂は11日、新型ゲーム機「ニンテンドースイッチ2」の国内販売台数が300万台を超えたと発表した。発売から1週間での達成となる。",
    ],
    topics=[],
    facts=[["300万台"], ["1週間"]],
    cases=["control"],
)

N7 = Entry(
    guid=_tag(10219),
    link=f"{TWJ}news/2025/06/10219/",
    title="トヨタ、北米での3列シートEVの生産を延期",
    published="2025-06-09 06:00",
    author="山本理恵",
    language="ja",
    body=[
        "トヨタ自動車は、米ケンタッキー州の工場で予定していた3列シートの電気自動車の生産開始を2026年から2027年に延期する。需要の伸び悩みが理由だ。",
    ],
    topics=["ev"],
    facts=[["ケンタッキー"], ["2027年"]],
    cases=["control"],
)

TECHWATCH = Feed(
    file="techwatch-ja.xml",
    kind="atom",
    content_type="application/atom+xml",
    encoding="utf-8",
    problem="boilerplate: photo credits, 続きを読む, 関連記事; an English press release in a ja feed",
    site={
        "title": "テックウォッチ",
        "link": TWJ,
        "description": "テクノロジーと産業のニュース",
        "language": "ja",
        "built": "2025-06-11 05:10",
    },
    entries=[N6, N2, N1, N4, N3, N5, N7],
)

FEEDS = [HANKOOK, TECHDAILY, DENKI, KANSAI, KEJIBAO, DIANZI, JINRI, TECHWATCH]
