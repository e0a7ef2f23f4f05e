"""The matching rules of feeds.yaml, as a table: term, text, expected result.

The first block is the issue's specification verbatim; the rest extends it to more languages
and to the edges of each rule.
"""

from __future__ import annotations

from importlib import resources

import pytest

from bot.match import Hit, Matcher, MatchOptions, TermError, Topics, compile_term, fold

SPEC = [
    # alphabetic term: no letter of its own script on either side
    ("EV", "EV", True),
    ("EV", "EV6", True),
    ("EV", "小米EV发布", True),
    ("EV", "Xiaomi's EV -Segment", True),
    ("EV", "EV-Produktionswerk", True),
    ("EV", "every", False),
    ("EV", "Eve", False),
    ("EV", "revenue", False),
    ("EV", "levels", False),
    ("EV", "Steve", False),
    ("EV", "prevention", False),
    # English plural and possessive
    ("EV", "EVs", True),
    ("EV", "EV's", True),
    ("Samsung", "Samsung's", True),
    ("Samsung", "Samsung’s", True),
    # '*' continues a word; phrases match across runs of spaces or hyphens
    ("Elektrofahrzeug*", "Elektrofahrzeuge", True),
    ("Elektrofahrzeug*", "Elektrofahrzeuggeschäft", True),
    ("voiture* électrique*", "voitures électriques", True),
    # Hangul: start of a word
    ("삼성", "삼성전자", True),
    ("샤오미", "샤오미와", True),
]

MORE = [
    # case, width and Unicode normalization
    ("Samsung", "SAMSUNG unveils", True),
    ("Samsung", "Ｓａｍｓｕｎｇ", True),  # full-width letters, NFKC
    ("Straße", "STRASSE", True),  # full case folding
    ("Exynos", "exynos 2400", True),
    ("Exynos", "Exynos2400", True),
    ("Xiaomi", "Xiaomis neues Auto", True),
    ("Xiaomi", "NotXiaomi", False),
    # German compounds need '*'; a plain term stays a word
    ("Elektroauto", "Elektroautos", True),  # plural -s
    ("Elektroauto", "Elektroautomarkt", False),
    ("Elektroauto*", "Elektroautomarkt", True),
    ("Elektroauto*", "Elektro\u00adautos", True),  # soft hyphen inside the word
    ("E-Auto*", "E-Autos", True),
    ("E-Auto*", "E Auto", True),
    ("E-Auto*", "E--Auto-Förderung", True),
    ("E-Auto*", "Deine-Auto", False),
    ("electric vehicle*", "electric  -  vehicles", True),
    ("electric vehicle*", "electric\nvehicle", True),
    ("electric vehicle*", "electricvehicle", False),
    ("electric vehicle*", "electric, vehicle", False),
    # French
    ("voiture* électrique*", "la voiture électrique de Xiaomi", True),
    ("voiture* électrique*", "voitures-électriques", True),
    ("voiture électrique", "voiture électriques", True),  # plural -s on the last word
    ("voiture électrique", "voiture électrifiée", False),
    # Chinese and Japanese match anywhere
    ("小米", "我爱小米手机", True),
    ("三星", "三星电子发布Exynos", True),
    ("电动汽车", "新能源电动汽车销量", True),
    ("电动汽车", "电动车", False),
    ("サムスン", "韓国サムスン電子", True),
    # Korean: start of a word only
    ("삼성", "대삼성", False),
    ("전기차", "전기차 시장", True),
    ("전기차", "이 전기차는", True),
    # Cyrillic and Greek keep their own boundaries; Latin letters are boundaries for them
    ("Самсунг", "компания Самсунг выпустила", True),
    ("Самсунг", "Самсунгом", False),
    ("Самсунг*", "Самсунгом", True),
    ("Самсунг", "SamsungСамсунг", True),
    ("ηλεκτρικό", "ένα ηλεκτρικό αυτοκίνητο", True),
    # digits at a term's edge may not touch other digits
    ("5G", "5G-Netz", True),
    ("5G", "15G", False),
    ("Galaxy S24", "Galaxy S24 Ultra", True),
    ("Galaxy S24", "Galaxy S245", False),
    ("Galaxy S24", "Galaxy  S24", True),
]


@pytest.mark.parametrize(("term", "text", "expected"), SPEC + MORE)
def test_term_matches_text(term: str, text: str, expected: bool) -> None:
    matcher = Matcher({"topic": [term]})
    assert bool(matcher.match(text).topics) is expected, compile_term(term).pattern.pattern


def test_surface_strings_are_reported_per_topic() -> None:
    matcher = Matcher({"samsung": ["Samsung", "삼성"], "ev": ["EV", "Elektroauto*"]})
    found = matcher.match("Samsung's EVs", "삼성전자 baut Elektroautos. SAMSUNG!")
    assert found.topics == {"samsung", "ev"}
    assert found.surfaces["samsung"] == ("Samsung's", "삼성", "SAMSUNG")
    assert found.surfaces["ev"] == ("EVs", "Elektroautos")


def test_no_match_reports_nothing() -> None:
    found = Matcher({"ev": ["EV"]}).match("Every level of revenue")
    assert found.topics == frozenset()
    assert found.surfaces == {}


def test_one_term_in_several_topics() -> None:
    found = Matcher({"a": ["Exynos"], "b": ["Exynos*"]}).match("Exynos chips")
    assert found.topics == {"a", "b"}


def _word(number: int) -> str:
    letters = ""
    for _ in range(3):
        number, digit = divmod(number, 26)
        letters += chr(ord("a") + digit)
    return letters


def test_hundreds_of_terms_still_match_exactly() -> None:
    topics = {f"t{i}": [f"brand{_word(i)}", f"gadget{_word(i)}*"] for i in range(300)}
    topics["ev"] = ["EV"]
    matcher = Matcher(topics)
    text = f"brand{_word(17)} launched gadget{_word(299)}pro and an EV; brand{_word(3)}x did not"
    assert matcher.match(text).topics == {"t17", "t299", "ev"}


@pytest.mark.parametrize("term", ["", "   ", "*", "*EV", "E*V", "a" * 201, "-"])
def test_invalid_terms_are_refused(term: str) -> None:
    with pytest.raises(TermError):
        compile_term(term)


# ------------------------------------------------------------------ options (settings.match)

# accents ignored (the default): in the term, in the text, or both; Latin and Greek letters,
# letters with a stroke; the rest of each rule unchanged
ACCENTS = [
    ("coche* eléctrico*", "coches electricos", True),
    ("coche* eléctrico*", "COCHES ELÉCTRICOS", True),
    ("electricos", "eléctricos", True),
    ("electricos", "Eléctricos", True),
    ("Peugeot", "Péugeot", True),
    ("Škoda", "Skoda Enyaq", True),
    ("Skoda", "Škoda Enyaq", True),
    ("Łódź", "a plant in Lodz", True),
    ("Citroen", "Citroën ë-C3", True),
    ("Việt Nam", "Viet Nam", True),
    ("ηλεκτρικό", "ΗΛΕΚΤΡΙΚΟ ΑΥΤΟΚΙΝΗΤΟ", True),  # Greek capitals drop the tonos
    ("Ёмкость", "емкость", True),
    ("électrique", "electriques", True),  # plural -s still
    ("électrique", "électrifiée", False),  # still a word of its own
    ("Nürburgring", "Nurburgringe", False),
    ("ano", "año", True),  # the price of the default: settings.match.accents: exact
    ("Straße", "STRASSE", True),  # ß is a letter, folded by case, not by accent
]

# simplified and traditional Chinese alike (the default), both ways, Taiwan and Hong Kong
# forms too; Japanese kanji are not Chinese simplified forms
CHINESE = [
    ("电动汽车", "電動汽車銷量創新高", True),
    ("電動汽車", "电动汽车销量创新高", True),
    ("比亚迪", "比亞迪與特斯拉", True),
    ("台积电", "臺積電", True),
    ("台积电", "台積電", True),
    ("里面", "裡面", True),
    ("里面", "裏面", True),
    ("电动汽车", "電動汽车", True),  # mixed forms
    ("电动汽车", "電気自動車", False),
    ("电动车", "電動車", True),
    ("小米", "我爱小米手机", True),
]

# "=": exactly this case (and these accents, this Chinese form); boundaries unchanged
EXACT = [
    ("=EV", "EV", True),
    ("=EV", "EVs", True),
    ("=EV", "EV's", True),
    ("=EV", "小米EV发布", True),
    ("=EV", "3,26 eV", False),
    ("=EV", "die ev. Kirche", False),
    ("=EV", "Ev", False),
    ("=EV", "EVERY", False),
    ("=EV*", "EVSE", True),
    ("= EV", "EV", True),  # a space after the mark is allowed
    ("=Año", "Año", True),
    ("=Año", "Ano", False),
    ("=電動車", "電動車", True),
    ("=電動車", "电动车", False),
    ("=LG", "LG Energy", True),
    ("=LG", "lg.com", False),
]


@pytest.mark.parametrize(("term", "text", "expected"), ACCENTS + CHINESE + EXACT)
def test_options_by_default(term: str, text: str, expected: bool) -> None:
    matcher = Matcher({"topic": [term]})
    assert bool(matcher.match(text).topics) is expected, compile_term(term).source


@pytest.mark.parametrize(
    ("term", "text", "accents", "chinese", "expected"),
    [
        ("electricos", "eléctricos", False, True, False),
        ("eléctricos", "electricos", False, True, False),
        ("eléctricos", "eléctricos", False, True, True),
        ("eléctricos", "ELÉCTRICOS", False, True, True),  # case is still ignored
        ("电动汽车", "電動汽車", True, False, False),
        ("電動汽車", "電動汽車", True, False, True),
        ("electricos", "eléctricos", True, False, True),
        ("电动汽车", "電動汽車", False, True, True),
    ],
)
def test_options_off(term: str, text: str, accents: bool, chinese: bool, expected: bool) -> None:
    options = MatchOptions(accents=accents, simplified_traditional=chinese)
    matcher = Matcher({"topic": [term]}, options=options)
    assert bool(matcher.match(text).topics) is expected


def test_surfaces_are_the_texts_own_letters() -> None:
    found = Matcher({"ev": ["coche* electrico*", "电动汽车"]}).match("Coches Eléctricos, 電動汽車")
    assert found.surfaces["ev"] == ("Coches Eléctricos", "電動汽車")
    hits = Matcher({"ev": ["电动汽车"]}).find("香港電動汽車")
    assert [(hit.start, hit.end, hit.surface) for hit in hits] == [(2, 6, "電動汽車")]


# ---------------------------------------------------------------------------- exclusions

# (terms, exclusions, text, topic counted)
EXCLUSIONS = [
    (["Xiaomi", "小米"], ["小米粥"], "早餐喝小米粥", False),
    (["Xiaomi", "小米"], ["小米粥"], "早餐喝小米粥，然后买了小米手机", True),  # another hit
    (["Xiaomi", "小米"], ["小米粥"], "早餐喝小米粥 Xiaomi", True),
    (["Xiaomi", "小米"], ["小米粥"], "喝小米粥的小米员工", True),
    (["Samsung", "三星"], ["三星堆"], "三星堆遗址出土新文物", False),
    (["Samsung", "三星"], ["三星堆"], "三星堆遗址与三星电子", True),
    (["Samsung", "三星"], ["三星堆"], "三星堆遺址", False),  # exclusions are folded too
    (["Samsung", "삼성"], ["삼성동"], "삼성동 코엑스에서 열린 전시회", False),
    (["Samsung", "삼성"], ["삼성동"], "삼성동에서 열린 행사", False),  # with a particle
    (["Samsung", "삼성"], ["삼성동"], "삼성동 코엑스에서 삼성SDI가 전시했다", True),
    (["Samsung"], ["Samsung Heavy*"], "Samsung Heavy Industries wins an order", False),
    (["Samsung"], ["Samsung Heavy*"], "Samsung Heavy and Samsung Electronics", True),
    (["EV"], ["EV charger*"], "EV charger makers", False),
    (["EV"], ["=EV charger*"], "ev charger makers", True),  # the exclusion is exact-case
    (["Samsung"], ["Galaxy"], "Samsung Galaxy", True),  # not around the hit: no effect
]


@pytest.mark.parametrize(("terms", "excluded", "text", "expected"), EXCLUSIONS)
def test_exclusions(terms: list[str], excluded: list[str], text: str, expected: bool) -> None:
    matcher = Matcher({"topic": terms, "other": ["三星", "Samsung"]}, exclude={"topic": excluded})
    found = matcher.match(text)
    assert ("topic" in found.topics) is expected
    # an exclusion is its topic's only: another topic with the same term still counts
    assert ("other" in found.topics) is any(t in text for t in ("三星", "Samsung"))


def test_excluded_hits_are_neither_found_nor_reported() -> None:
    matcher = Matcher(Topics({"samsung": ["삼성"]}, {"samsung": ["삼성동"]}))
    assert matcher.find("삼성동 삼성SDI") == [Hit("samsung", "삼성", 4, 6, "삼성")]
    assert matcher.match("삼성동 삼성SDI").surfaces == {"samsung": ("삼성",)}
    assert [c.term for c in matcher.terms] == ["삼성"]  # exclusions are not terms
    assert [c.term for c in matcher.exclusions] == ["삼성동"]


def test_topics_carry_exclusions_and_options_into_equality() -> None:
    plain = Topics({"xiaomi": ["Xiaomi", "小米"]})
    assert plain == {"xiaomi": ("Xiaomi", "小米")}
    assert plain == Topics({"xiaomi": ("Xiaomi", "小米")})
    assert plain != Topics({"xiaomi": ["Xiaomi", "小米"]}, {"xiaomi": ["小米粥"]})
    assert plain != Topics({"xiaomi": ["Xiaomi", "小米"]}, options=MatchOptions(accents=False))
    excluding = Topics({"xiaomi": ["Xiaomi", "小米"]}, {"xiaomi": ["小米粥"]})
    assert excluding.shown("xiaomi") == "Xiaomi, 小米 (not: 小米粥)"
    assert Matcher(excluding).match("小米粥").topics == frozenset()
    exact = Topics({"ev": ["electricos"]}, options=MatchOptions(accents=False))
    assert Matcher(exact).match("eléctricos").topics == frozenset()


@pytest.mark.parametrize("term", ["=", "= ", "=*"])
def test_an_exact_mark_needs_a_term(term: str) -> None:
    with pytest.raises(TermError):
        compile_term(term)


def test_the_shipped_chinese_folding_table_is_the_one_opencc_gives() -> None:
    shipped = resources.files("bot").joinpath("data", fold.HAN_TABLE_FILE).read_text("utf-8")
    # after an OpenCC upgrade that changes it: python -c "import bot.match.fold as f;
    # print(f.han_table_text(f.build_han_table()), end='')" > bot/data/han_fold.tsv
    assert shipped == fold.han_table_text(fold.build_han_table())
    assert fold._han_table() == fold.build_han_table()
    assert fold.fold("電動汽車 臺積電 裡面 衞") == "电动汽车 台积电 里面 卫"
