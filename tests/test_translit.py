"""Tests for mlo.text.translit and slugs: both directions, HTML walkers, fold, slugify."""

import html
import inspect
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from mlo.text import translit
from mlo.text.slugs import slugify
from mlo.text.translit import (
    fold,
    has_latin_serbian,
    load_latin_words,
    set_extra_latin_words,
    to_cyrillic,
    to_cyrillic_html,
    to_latin,
    to_latin_html,
)

PANGRAM = "„Фијуче ветар у шибљу, леди пасаже и куће иза њих и гунђа у оџацима“"
AZBUKA = "абвгдђежзијклљмнњопрстћуфхцчџш"

# (input, expected fold). Shared with the PostgreSQL search test: the SQL fold must agree.
FOLD_CASES = [
    ("Ђоковић", "djokovic"),
    ("Đoković", "djokovic"),
    ("Djokovic", "djokovic"),
    ("ĐOKOVIĆ", "djokovic"),
    ("ђоковић", "djokovic"),
    ("ћевапи", "cevapi"),
    ("ĆEVAPI", "cevapi"),
    ("ćevapi", "cevapi"),
    ("cevapi", "cevapi"),
    ("ЋЕВАПИ", "cevapi"),
    ("Љубљана", "ljubljana"),
    ("LJUBLJANA", "ljubljana"),
    ("Његош", "njegos"),
    ("NJEGOŠ", "njegos"),
    ("Џеп", "dzep"),
    ("ǅep", "dzep"),
    ("ǈubav", "ljubav"),
    ("ǋegoš", "njegos"),
    ("ЖЕНА Žena žena", "zena zena zena"),
    ("ШУМА Šuma", "suma suma"),
    ("ЧаЧак", "cacak"),
    ("Hello World", "hello world"),
    ("New York Times", "new york times"),
    ("Covid-19 у 2023.", "covid-19 u 2023."),
    ("Београд 2024", "beograd 2024"),
    (PANGRAM, "„fijuce vetar u siblju, ledi pasaze i kuce iza njih i gundja u odzacima“"),
]


# --- Cyrillic to Latin ---------------------------------------------------------------------------

LATIN_CASES = [
    # the fixed letter map
    (AZBUKA, "abvgdđežzijklljmnnjoprstćufhcčdžš"),
    (AZBUKA.upper(), "ABVGDĐEŽZIJKLLJMNNJOPRSTĆUFHCČDŽŠ"),
    (PANGRAM, "„Fijuče vetar u šiblju, ledi pasaže i kuće iza njih i gunđa u odžacima“"),
    # Љ Њ Џ: all-caps inside an all-caps word, title case otherwise
    ("ЉУБЉАНА", "LJUBLJANA"),
    ("Љубљана", "Ljubljana"),
    ("ЊЕГОШ", "NJEGOŠ"),
    ("Његош", "Njegoš"),
    ("ЏЕП", "DŽEP"),
    ("Џеп", "Džep"),
    ("ЏАК", "DŽAK"),
    ("ОЏАК", "ODŽAK"),
    ("КОЊ", "KONJ"),
    ("Коњ", "Konj"),
    ("ЊУ", "NJU"),
    ("Џ", "Dž"),
    ("Љ. Ковачевић", "Lj. Kovačević"),
    ("Ђ. Џ. Љ.", "Đ. Dž. Lj."),
    ("ВЕСТИ: ЉУБЉАНА, Њујорк и Џакарта", "VESTI: LJUBLJANA, Njujork i Džakarta"),
    # non-Serbian text passes through
    ("Ljubljana 2024!", "Ljubljana 2024!"),
    ("Россия, ёж, ы", "Rossiя, ёž, ы"),
    ("¼ … \u00a0 — “”", "¼ … \u00a0 — “”"),
    # URLs and e-mail addresses are left untouched, even with Cyrillic in them
    ("Види https://www.mod.gov.rs/cir/вести.", "Vidi https://www.mod.gov.rs/cir/вести."),
    ("Сајт www.nato.int и ВВВ", "Sajt www.nato.int i VVV"),
    ("Пишите на press@mlo.example.org.", "Pišite na press@mlo.example.org."),
    ("или на пошта@пример.срб", "ili na пошта@пример.срб"),
    ("http://пример.срб/ћ?а=1&б=2 је", "http://пример.срб/ћ?а=1&б=2 je"),
]


@pytest.mark.parametrize(("cyrillic", "latin"), LATIN_CASES)
def test_to_latin(cyrillic: str, latin: str) -> None:
    assert to_latin(cyrillic) == latin


# --- Latin to Cyrillic ---------------------------------------------------------------------------

CYRILLIC_CASES = [
    # digraphs in every case
    ("LJUBLJANA", "ЉУБЉАНА"),
    ("Ljubljana", "Љубљана"),
    ("NJEGOŠ", "ЊЕГОШ"),
    ("Njegoš", "Његош"),
    ("Džon", "Џон"),
    ("DŽEP", "ЏЕП"),
    ("lJubav", "љубав"),
    ("dj is not đ: odjednom, podjednako, Đorđe", "дј ис нот ђ: одједном, подједнако, Ђорђе"),
    # ǅ ǈ ǋ and their cases are normalised (NFKC) first
    ("ǅep", "Џеп"),
    ("ǄEP", "ЏЕП"),
    ("ǆak", "џак"),
    ("ǈubav ǇUBAV ǉubav", "Љубав ЉУБАВ љубав"),
    ("ǋegoš ǊEGOŠ ǌiva", "Његош ЊЕГОШ њива"),
    ("c\u030cas", "час"),
    # d+ž stems: two letters
    ("nadživeti", "надживети"),
    ("nadžanjeti", "наджањети"),
    ("nadželeti", "наджелети"),
    ("nadžeti", "наджети"),
    ("nadžupan", "наджупан"),
    ("odžaliti", "оджалити"),
    ("odžariti", "оджарити"),
    ("Odživeo", "Одживео"),
    ("odžvakati", "оджвакати"),
    ("podžanr", "поджанр"),
    ("podželeti", "поджелети"),
    ("podžigati", "поджигати"),
    ("PODŽUPAN", "ПОДЖУПАН"),
    ("predživotni", "предживотни"),
    ("feldžandarm", "фелджандарм"),
    # n+j stems: two letters
    ("konjunkcija", "конјункција"),
    ("konjugacija", "конјугација"),
    ("injekcija", "инјекција"),
    ("injektor", "инјектор"),
    ("injicirati", "инјицирати"),
    ("anjon", "анјон"),
    ("Kenjon", "Кенјон"),
    ("Tanjug", "Танјуг"),
    ("TANJUG", "ТАНЈУГ"),
    ("vanjezički", "ванјезички"),
    # the same letters elsewhere are still digraphs
    ("odžak, konj, njiva, podžupan i džep", "оџак, коњ, њива, поджупан и џеп"),
    # foreign words stay Latin as a whole, hyphenated compounds included
    ("Wi-Fi mreža", "Wi-Fi мрежа"),
    ("New York", "New York"),
    ("Xbox i Twitter-a", "Xbox и Twitter-a"),
    ("Quentin", "Quentin"),
    ("café Müller, Straße, Søren", "café Müller, Straße, Søren"),
    # Roman numerals: whole upper-case words of two or more letters
    ("XXI vek", "XXI век"),
    ("Luj XIV", "Луј XIV"),
    ("MMXXIII", "MMXXIII"),
    ("Petar II", "Петар II"),
    ("Poglavlje IV, deo III", "Поглавље IV, део III"),
    ("II-og veka", "II-ог века"),
    ("I tako", "И тако"),
    ("V. Petrović", "В. Петровић"),
    ("vi ste ii", "ви сте ии"),
    # Serbian words that are also numerals (decided rule, see _NEVER_ROMAN in the module)
    ("MI SMO", "МИ СМО"),
    ("DA LI VI ZNATE", "ДА ЛИ ВИ ЗНАТЕ"),
    ("VI, GOSPODINE", "ВИ, ГОСПОДИНЕ"),
    ("Pij VI i VI vek", "Пиј VI и VI век"),
    ("DIV", "ДИВ"),
    # URLs, e-mail addresses, digits and punctuation
    (
        "Vidi https://www.mod.gov.rs/cir/ ili www.nato.int.",
        "Види https://www.mod.gov.rs/cir/ или www.nato.int.",
    ),
    ("Pišite na press@mlo.example.org!", "Пишите на press@mlo.example.org!"),
    ("WWW.NATO.INT je sajt", "WWW.NATO.INT је сајт"),
    ("mailto:press@mlo.example.org", "mailto:press@mlo.example.org"),
    ("Čekaj…\u00a0sutra u 10:30, ½ sata", "Чекај…\u00a0сутра у 10:30, ½ сата"),
    ("„Beograd“ (2024)", "„Београд“ (2024)"),
    # already Cyrillic, or a word typed in mixed scripts
    ("Већ ћирилица", "Већ ћирилица"),
    ("Beoгрaд", "Београд"),
]


@pytest.mark.parametrize(("latin", "cyrillic"), CYRILLIC_CASES)
def test_to_cyrillic(latin: str, cyrillic: str) -> None:
    assert to_cyrillic(latin) == cyrillic


ROUND_TRIP = [
    PANGRAM,
    "ЉУБАЗНИ ФЕЊЕРЏИЈА ЧАЂАВОГ ЛИЦА ХОЋЕ ДА МИ ПОКАЖЕ ШТОС.",
    "Љубазни фењерџија чађавог лица хоће да ми покаже штос.",
    "Ђаче, уштеду плаћај жаљењем због џиновских цифара.",
    "Наджупан је надживео поджупана, а Танјуг је јавио о инјекцији.",
    "У XXI веку Петар II и Луј XIV читају конјугацију; ЊЕГОШ, Његош, ЏЕП и Џеп.",
    "Одједном, подједнако: 1.234.567,89 динара (7. фебруар 2023.)",
]


@pytest.mark.parametrize("text", ROUND_TRIP)
def test_round_trip(text: str) -> None:
    assert to_cyrillic(to_latin(text)) == text


def test_pangrams_cover_the_azbuka() -> None:
    assert set(AZBUKA) <= set(PANGRAM.lower())
    assert set(AZBUKA) <= set(ROUND_TRIP[1].lower())


# --- foreign names stay Latin --------------------------------------------------------------------

LATIN_NAME_CASES = [
    # (a) the built-in list: whole words in any case, also with a Serbian case ending
    ("Facebook", "Facebook"),
    ("Facebook, Google, Microsoft i Apple", "Facebook, Google, Microsoft и Apple"),
    ("Samsung, Huawei, Intel i Oracle", "Samsung, Huawei, Intel и Oracle"),
    ("javljaju Reuters i Bloomberg", "јављају Reuters и Bloomberg"),
    ("FACEBOOK I GOOGLE", "FACEBOOK И GOOGLE"),
    ("na Facebooku, od Googlea, sa Samsungom", "на Facebooku, од Googlea, са Samsungom"),
    ("Appleov telefon, Huaweija i Audiju", "Appleov телефон, Huaweija и Audiju"),
    ("Nokia, bez Nokie, s Motorolom", "Nokia, без Nokie, с Motorolom"),
    ("Facebook-a, CNN-u i Coca-Coli", "Facebook-a, CNN-u и Coca-Coli"),
    ("The Guardian i The Economist", "The Guardian и The Economist"),
    # ... but not a name inside a longer word, nor the Serbian spelling of a name
    ("intelektualci i amazonka", "интелектуалци и амазонка"),
    ("Fejsbuk, Gugl, Nokija, Nokiji", "Фејсбук, Гугл, Нокија, Нокији"),
    # names that are also Serbian words stay Latin only when capitalised
    ("Telegram je poslao telegram", "Telegram је послао телеграм"),
    ("Android nije android", "Android није андроид"),
    # acronyms: foreign brands in the list stay, Serbian acronyms convert
    ("IBM, CNN, BBC i HBO", "IBM, CNN, BBC и HBO"),
    ("NATO, OEBS, UN, EU, SAD, MUP i VJ", "НАТО, ОЕБС, УН, ЕУ, САД, МУП и ВЈ"),
    ("Srbija i NATO: sastanak u Beogradu", "Србија и НАТО: састанак у Београду"),
    ("BiH i KiM-a", "БиХ и КиМ-а"),
    # (b) a capital inside a word
    ("iPhone, iPad, eBay i TikTok", "iPhone, iPad, eBay и TikTok"),
    ("iOS, macOS, GitHub, DiCaprio, LeBron", "iOS, macOS, GitHub, DiCaprio, LeBron"),
    ("sa iPhoneom i iOS-om", "са iPhoneom и iOS-om"),
    # ... except a Serbian digraph typed in the wrong case
    ("lJubav, nJiva, dŽep", "љубав, њива, џеп"),
    # (c) spellings no Serbian word has, bare and inflected
    (
        "Scott, Smith, Bush, Zurich, Ross, Jeff, Bill",
        "Scott, Smith, Bush, Zurich, Ross, Jeff, Bill",
    ),
    ("Smitha, Scottom, Rossov, Billu", "Smitha, Scottom, Rossov, Billu"),
    # ... but acronyms and Serbian words that look English convert
    ("DSS, SS i DSS-a", "ДСС, СС и ДСС-а"),
    (
        "kooperacija, prethodni, Donjeck, samouveren, Phenjan, reeksport",
        "кооперација, претходни, Доњецк, самоуверен, Пхењан, реекспорт",
    ),
    (
        "najjači poddirektor, Pasha, shima, ophodan, Alchajmer, transseksualac",
        "најјачи поддиректор, Пасха, схима, опходан, Алцхајмер, транссексуалац",
    ),
]


@pytest.mark.parametrize(("latin", "cyrillic"), LATIN_NAME_CASES)
def test_foreign_names_stay_latin(latin: str, cyrillic: str) -> None:
    assert to_cyrillic(latin) == cyrillic


def test_every_built_in_name_stays_latin_also_inflected() -> None:
    names = sorted(translit._BUILTIN_LATIN_NAMES)
    assert 60 <= len(names) <= 150
    for name in names:
        text = f"{name}, {name.upper()}, {name}u, {name}om"
        assert to_cyrillic(text) == text


def test_foreign_names_in_html_and_in_the_latin_check() -> None:
    latin = '<p title="Objava na Facebooku">Vesti sa <b>Instagrama</b> i iPhonea</p>'
    cyrillic = '<p title="Објава на Facebooku">Вести са <b>Instagrama</b> и iPhonea</p>'
    assert to_cyrillic_html(latin) == cyrillic
    # A Cyrillic text naming brands is not taken for Serbian typed in Latin.
    assert not has_latin_serbian(cyrillic)
    assert not has_latin_serbian("Објава на Facebooku: Scott и његов iPhone")
    assert has_latin_serbian("Објава на Facebooku о NATO-у")


WORDS_FILE = """\
# Names our newsroom keeps in Latin

Revolut
  Nike   # the brand, not the goddess
canva
"""


@pytest.fixture
def latin_words_file(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "instance" / "latin_words.txt"
    path.parent.mkdir()
    # With a byte order mark, as Windows Notepad saves it.
    path.write_text("\ufeff" + WORDS_FILE, "utf-8")
    yield path
    set_extra_latin_words(())


def test_load_latin_words_skips_comments_and_blank_lines(latin_words_file: Path) -> None:
    assert load_latin_words(latin_words_file) == ["Revolut", "Nike", "canva"]


def test_load_latin_words_without_a_file_is_empty(tmp_path: Path) -> None:
    assert load_latin_words(tmp_path / "latin_words.txt") == []


def test_instance_words_stay_latin(latin_words_file: Path) -> None:
    text = "Plaćanje preko Revoluta, patike Nike i dizajn u Canvi"
    assert to_cyrillic(text) == "Плаћање преко Револута, патике Нике и дизајн у Цанви"

    set_extra_latin_words(load_latin_words(latin_words_file))
    assert to_cyrillic(text) == "Плаћање преко Revoluta, патике Nike и дизајн у Canvi"
    assert to_cyrillic("REVOLUT, nike") == "REVOLUT, nike"
    assert to_cyrillic_html("<p>Nike i Facebook</p>") == "<p>Nike и Facebook</p>"
    assert not has_latin_serbian("Плаћање преко Revoluta")

    # A new call replaces the former words; the built-in list always applies.
    set_extra_latin_words(["Canva"])
    assert to_cyrillic("Revolut, Nike, Canva, Google") == "Револут, Нике, Canva, Google"


DEMO_CONTENT = Path(__file__).resolve().parent.parent / "mlo" / "demo_content.json"


def test_serbian_demo_content_round_trips_unchanged() -> None:
    articles = json.loads(DEMO_CONTENT.read_text("utf-8"))
    serbian = [a["translations"]["sr"] for a in articles if "sr" in a["translations"]]
    assert len(serbian) >= 10
    for text in serbian:
        for field in ("title", "summary"):
            assert to_cyrillic(to_latin(text[field])) == text[field]
        assert to_cyrillic_html(to_latin_html(text["body"])) == text["body"]


def test_serbian_demo_content_round_trips_without_markup() -> None:
    # As an editor would type it: plain text, brands not wrapped in <span lang="en">.
    articles = json.loads(DEMO_CONTENT.read_text("utf-8"))
    serbian = [a["translations"]["sr"] for a in articles if "sr" in a["translations"]]
    markup = " ".join(t[f] for t in serbian for f in ("title", "summary", "body"))
    plain = html.unescape(re.sub(r"<[^>]*>", " ", markup))
    assert {"Facebook", "Instagram", "Telegram", "TikTok"} <= set(re.findall(r"\w+", plain))
    assert to_cyrillic(to_latin(plain)) == plain


# --- HTML ----------------------------------------------------------------------------------------

LATIN_HTML_CASES = [
    ("<p>Текст</p>", "<p>Tekst</p>"),
    ("", ""),
    # entities and character references stay exactly as written
    (
        "<p>Текст&nbsp;и&amp;још &#1106; &#x452; &copy &NotEqualTilde;</p>",
        "<p>Tekst&nbsp;i&amp;još &#1106; &#x452; &copy &NotEqualTilde;</p>",
    ),
    # only title and alt are converted among the attributes
    (
        '<a href="/sr-cyrl/вести/ђоковић" class="ђ" data-x="ш" title="Ђоковић">Ђоковић</a>',
        '<a href="/sr-cyrl/вести/ђоковић" class="ђ" data-x="ш" title="Đoković">Đoković</a>',
    ),
    (
        "<img src='/м/слика.jpg' alt='Љубав &amp; мир' title=Наслов>",
        "<img src='/м/слика.jpg' alt='Ljubav &amp; mir' title=Naslov>",
    ),
    ('<a title="а > б">в</a>', '<a title="a > b">v</a>'),
    # code-like elements and comments are untouched, tag case does not matter
    (
        "<p>пре<code>код</code><pre>пре <b>б</b></pre><kbd>к</kbd><samp>с</samp><var>в</var></p>",
        "<p>pre<code>код</code><pre>пре <b>б</b></pre><kbd>к</kbd><samp>с</samp><var>в</var></p>",
    ),
    ("<CODE>код</CODE>а", "<CODE>код</CODE>a"),
    ("<pre><span lang='sr'>ш</span></pre>ш", "<pre><span lang='sr'>ш</span></pre>š"),
    ("<!-- коментар <b> -->текст", "<!-- коментар <b> -->tekst"),
    ("текст <!-- без краја <b>", "tekst <!-- без краја <b>"),
    (
        "<script>s = '<span lang=\"sr\">ш</span>';</script><style>p:after{content:'ш'}</style>ш",
        "<script>s = '<span lang=\"sr\">ш</span>';</script><style>p:after{content:'ш'}</style>š",
    ),
    ("<SCRIPT>'</b>ш'</Script >ш", "<SCRIPT>'</b>ш'</Script >š"),
    # translate="no" and non-Serbian lang, nested children included
    (
        '<div translate="no">Текст <b>подебљано <i>курзив</i></b></div> после',
        '<div translate="no">Текст <b>подебљано <i>курзив</i></b></div> posle',
    ),
    (
        '<span lang="de">ш <b title="ш">ш</b></span><img lang="en" alt="ш">ш',
        '<span lang="de">ш <b title="ш">ш</b></span><img lang="en" alt="ш">š',
    ),
    # an inner Serbian element turns conversion back on
    (
        '<span lang="en">ш <i lang="sr-Cyrl">ш</i> <i lang="SR">ш</i> ш</span> ш',
        '<span lang="en">ш <i lang="sr-Cyrl">š</i> <i lang="SR">š</i> ш</span> š',
    ),
    (
        '<div translate="no">ш <span translate="yes">ш</span> <span translate>ш</span> ш</div>',
        '<div translate="no">ш <span translate="yes">š</span> <span translate>š</span> ш</div>',
    ),
    (
        '<p lang="sr-Latn">ш</p><p lang="sr_Cyrl">ш</p>',
        '<p lang="sr-Latn">š</p><p lang="sr_Cyrl">š</p>',
    ),
    ('<p lang="sr" translate="no">ш</p>', '<p lang="sr" translate="no">ш</p>'),
    # void elements do not break the element stack
    (
        '<span lang="en">a<br>b<img src="x.png" alt="ш"><hr><input><wbr><meta><link><source>ш'
        "</span>ш",
        '<span lang="en">a<br>b<img src="x.png" alt="ш"><hr><input><wbr><meta><link><source>ш'
        "</span>š",
    ),
    ('<span lang="en"><br/>ш</span>ш', '<span lang="en"><br/>ш</span>š'),
    # unbalanced, stray and unknown tags: best effort, no crash
    ("</div>текст</span></br>ш", "</div>tekst</span></br>š"),
    ('<span lang="en"><b>ш</span> ш', '<span lang="en"><b>ш</span> š'),
    ('<span lang="en">ш', '<span lang="en">ш'),
    ("<x-widget foo>ш</x-widget>", "<x-widget foo>š</x-widget>"),
    ("а < б и в<г", "a < b i v<g"),
    ("<!DOCTYPE html><p>ш", "<!DOCTYPE html><p>š"),
    # URLs and e-mail addresses inside text nodes
    (
        "<p>Види https://пример.срб/?а=1&amp;б=2 и press@mlo.example.org</p>",
        "<p>Vidi https://пример.срб/?а=1&amp;б=2 i press@mlo.example.org</p>",
    ),
]


@pytest.mark.parametrize(("cyrillic", "latin"), LATIN_HTML_CASES)
def test_latin_html(cyrillic: str, latin: str) -> None:
    assert to_latin_html(cyrillic) == latin


CYRILLIC_HTML_CASES = [
    ('<span lang="en">Facebook</span> i Fejsbuk', '<span lang="en">Facebook</span> и Фејсбук'),
    ('<b translate="no">Nokia</b> Nokija', '<b translate="no">Nokia</b> Нокија'),
    (
        '<a href="/sr-latn/vesti/djokovic" title="Đoković">Đoković&nbsp;i&amp;</a>',
        '<a href="/sr-latn/vesti/djokovic" title="Ђоковић">Ђоковић&nbsp;и&amp;</a>',
    ),
    ("<p>Tekst &nbsp; &amp; &#1106; &copy;</p>", "<p>Текст &nbsp; &amp; &#1106; &copy;</p>"),
    ('<img alt="Slika" src="/media/slika.jpg">', '<img alt="Слика" src="/media/slika.jpg">'),
    (
        "<p>Kod: <code>print(x)</code> i <pre>ls -la</pre></p>",
        "<p>Код: <code>print(x)</code> и <pre>ls -la</pre></p>",
    ),
    (
        '<span lang="en">Ana <i lang="sr">Ana</i> Ana</span> Ana',
        '<span lang="en">Ana <i lang="sr">Ана</i> Ana</span> Ана',
    ),
    (
        "<p>Vidi https://example.org/?a=1&amp;b=2 i www.nato.int&nbsp;i press@mlo.example.org.</p>",
        "<p>Види https://example.org/?a=1&amp;b=2 и www.nato.int&nbsp;и press@mlo.example.org.</p>",
    ),
    ("<p>XXI vek, Petar II i Wi-Fi</p>", "<p>XXI век, Петар II и Wi-Fi</p>"),
    ("<p>ǅep</p>", "<p>Џеп</p>"),
]


@pytest.mark.parametrize(("latin", "cyrillic"), CYRILLIC_HTML_CASES)
def test_cyrillic_html(latin: str, cyrillic: str) -> None:
    assert to_cyrillic_html(latin) == cyrillic


ARTICLE = (
    '<h2 title="Поднаслов">Вести из Београда</h2>\n'
    '<p class="lead">Министар је рекао да ЉУБЉАНА и Загреб&nbsp;– а не ми – одлучују. '
    '<a href="https://www.mod.gov.rs/cir/vesti" title="Сајт министарства">www.mod.gov.rs</a>, '
    '<a href="mailto:press@mlo.example.org">press@mlo.example.org</a>.</p>\n'
    '<figure><img src="/media/ђ.jpg" alt="Новак Ђоковић на терену"><figcaption>Фото: Танјуг'
    "</figcaption></figure>\n"
    f"<blockquote>{PANGRAM}</blockquote>\n"
    '<p>У XXI веку <span lang="en">Novak Djokovic</span> и <em>Џеп</em>, <strong>ЏЕП</strong>.'
    "<br>Нови ред<!-- напомена уредника --></p>\n"
    "<pre><code>ш = 1</code></pre>\n"
)


def test_html_round_trip_is_byte_identical() -> None:
    latin = to_latin_html(ARTICLE)
    assert "Vesti iz Beograda" in latin and 'alt="Novak Đoković na terenu"' in latin
    assert "LJUBLJANA" in latin and "DŽEP" in latin and "Džep" in latin
    assert to_cyrillic_html(latin) == ARTICLE


def test_html_leaves_everything_but_text_byte_identical() -> None:
    latin = to_latin_html(ARTICLE)
    tags = re.compile(r"<[^>]*>")
    strip_converted = re.compile(r' (?:title|alt)="[^"]*"')
    assert [strip_converted.sub("", t) for t in tags.findall(latin)] == [
        strip_converted.sub("", t) for t in tags.findall(ARTICLE)
    ]


def test_to_latin_html_is_memoised() -> None:
    assert to_latin_html.cache_info().maxsize == 2048
    doc = "<p>Мемоизација</p>"
    first = to_latin_html(doc)
    hits = to_latin_html.cache_info().hits
    assert to_latin_html(doc) is first
    assert to_latin_html.cache_info().hits == hits + 1


# --- has_latin_serbian ---------------------------------------------------------------------------

HAS_LATIN_CASES = [
    ("Tekst na latinici", True),
    ("<p>Текст <b>и</b> ok</p>", True),
    ('<img alt="Slika">', True),
    ("Текст на ћирилици", False),
    ("", False),
    ("<p class='lead' id=main>Текст</p>", False),
    ("Види https://www.mod.gov.rs/cir/vesti и press@mlo.example.org", False),
    ("<code>print(x)</code> <span lang='en'>Novak</span> <b translate=no>Nokia</b>", False),
    ("XXI век, Луј XIV, Wi-Fi, New York &nbsp; &amp;", False),
    ("1.234,56 — 10:30 !?", False),
]


@pytest.mark.parametrize(("text", "expected"), HAS_LATIN_CASES)
def test_has_latin_serbian(text: str, expected: bool) -> None:
    assert has_latin_serbian(text) is expected


# --- fold and slugify ----------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), FOLD_CASES)
def test_fold(text: str, expected: str) -> None:
    assert fold(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Café Müller", "cafe muller"), ("Ѝ и ѐ", "i i e"), ("", ""), ("ＡＢＣ", "abc")],
)
def test_fold_other_letters(text: str, expected: str) -> None:
    assert fold(text) == expected


def test_fold_is_idempotent() -> None:
    for text, expected in FOLD_CASES:
        assert fold(expected) == expected, text


SLUG_CASES = [
    ("Интервју начелника за Курир", "intervju-nacelnika-za-kurir"),
    ("Intervju načelnika za Kurir", "intervju-nacelnika-za-kurir"),
    ("Ђоковић у финалу!", "djokovic-u-finalu"),
    ("ЉУБЉАНА: Џеп, Његош", "ljubljana-dzep-njegos"),
    ("  -- Hello, World! --  ", "hello-world"),
    ("XXI век: 2023. година", "xxi-vek-2023-godina"),
    ("Straße in Søren's Café", "strasse-in-soren-s-cafe"),
    ("", ""),
    ("!!! ???", ""),
]


@pytest.mark.parametrize(("title", "slug"), SLUG_CASES)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_slugify_cuts_on_a_word_boundary() -> None:
    title = "Веома дугачак наслов о седници Владе " * 5
    slug = slugify(title)
    assert len(slug) <= 80
    assert slug.startswith("veoma-dugacak-naslov-o-sednici-vlade-veoma")
    # every piece is a whole word, so the cut fell between two words
    assert set(slug.split("-")) <= {"veoma", "dugacak", "naslov", "o", "sednici", "vlade"}
    full = "-".join(fold(title).split())
    assert len(full) > 80 and full[len(slug)] == "-" and len(slug) > 70


def test_slugify_cuts_a_single_long_word() -> None:
    assert slugify("а" * 200) == "a" * 80


# --- the public API ------------------------------------------------------------------------------

PUBLIC = [
    "to_latin",
    "to_cyrillic",
    "to_latin_html",
    "to_cyrillic_html",
    "fold",
    "has_latin_serbian",
]


@pytest.mark.parametrize("name", ["set_extra_latin_words", "load_latin_words"])
def test_latin_words_api_is_documented(name: str) -> None:
    doc = inspect.getdoc(getattr(translit, name))
    assert doc and "\n" not in doc
    assert name in translit.__all__


@pytest.mark.parametrize("name", PUBLIC)
def test_public_api_is_documented_and_typed(name: str) -> None:
    func = getattr(translit, name)
    doc = inspect.getdoc(func)
    assert doc and "\n" not in doc
    hints = inspect.get_annotations(inspect.unwrap(func), eval_str=True)
    assert hints["return"] in (str, bool)
    assert all(v is str for k, v in hints.items() if k != "return")
