"""Words in every script: tokens as a reader splits them, marks kept, versions recorded.

Spaced scripts give one token per word, marks (vowel signs, viramas, harakat, niqqud,
tonos, tones, stress) included; unspaced scripts one token per grapheme (a base character
and the marks that follow it). A one-word difference is never an exact repeat, and a long
paragraph with one word changed is still a near repeat. Baselines and archives written
with another tokeniser are refused, saying how to rebuild them.
"""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import dedup
from dedup.cli import app
from dedup.text.normalize import (
    _HAS_NO_SPACE,
    _SPACED_TOKEN,
    _TOKEN,
    TOKENIZER_VERSION,
    normalize,
    tokenizer_info,
    tokens,
)


def nfc(words: list[str]) -> list[str]:
    """Return ``words`` in NFC (the order of marks typed here need not be canonical)."""
    return [unicodedata.normalize("NFC", w) for w in words]


# --- tokens: spaced scripts, one token per word ---------------------------------------

SPACED = [
    ("hindi", "भारत की राजधानी नई दिल्ली है।", ["भारत", "की", "राजधानी", "नई", "दिल्ली", "है"]),
    ("hindi-issue", "हिन्दी भाषा", ["हिन्दी", "भाषा"]),
    ("bengali", "আমি প্রতিদিন সকালে চা খাই।", ["আমি", "প্রতিদিন", "সকালে", "চা", "খাই"]),
    ("tamil", "நான் தமிழ் பேசுகிறேன்.", ["நான்", "தமிழ்", "பேசுகிறேன்"]),
    (
        "arabic",
        "ذَهَبَ الوَلَدُ إِلَى المَدْرَسَةِ صَبَاحًا.",
        ["ذَهَبَ", "الوَلَدُ", "إِلَى", "المَدْرَسَةِ", "صَبَاحًا"],
    ),
    (
        "hebrew",
        "בְּרֵאשִׁית בָּרָא אֱלֹהִים אֵת הַשָּׁמַיִם וְאֵת הָאָרֶץ׃",
        ["בְּרֵאשִׁית", "בָּרָא", "אֱלֹהִים", "אֵת", "הַשָּׁמַיִם", "וְאֵת", "הָאָרֶץ"],
    ),
    (
        "greek",
        "Η Ελλάδα είναι μια όμορφη χώρα.",
        ["η", "ελλάδα", "είναι", "μια", "όμορφη", "χώρα"],
    ),
    ("greek-issue", "Ησαΐας", ["ησαΐασ"]),  # final sigma folds to sigma, ΐ stays whole
    ("russian", "Москва — столица России.", ["москва", "столица", "россии"]),
    ("russian-stress", "Старый за́мок и новый замо́к.", ["старый", "за́мок", "и", "новый", "замо́к"]),
    (
        "vietnamese",
        "Tiếng Việt rất phong phú và đẹp.",
        ["tiếng", "việt", "rất", "phong", "phú", "và", "đẹp"],
    ),
    ("persian-zwnj", "کتاب‌ها را می‌خوانم.", ["کتابها", "را", "میخوانم"]),  # joiners fold
    ("arabic-tatweel", "كـتـاب جميل", ["كتاب", "جميل"]),  # tatweel only stretches
    ("english", "I don’t know — it’s 3 o’clock.", ["i", "don't", "know", "it's", "3", "o'clock"]),
]


@pytest.mark.parametrize(("text", "words"), [c[1:] for c in SPACED], ids=[c[0] for c in SPACED])
def test_spaced_scripts_give_one_token_per_word(text: str, words: list[str]) -> None:
    assert tokens(text) == nfc(words)


# --- tokens: unspaced scripts, one token per grapheme ----------------------------------

UNSPACED = [
    ("thai", "ฉันกินข้าวแล้ว", ["ฉั", "น", "กิ", "น", "ข้", "า", "ว", "แ", "ล้", "ว"]),
    ("chinese", "我今天去北京。", ["我", "今", "天", "去", "北", "京"]),
    (
        "japanese",
        "東京タワーは東京都港区にある電波塔です。",
        list("東京タワーは東京都港区にある電波塔です"),
    ),
    ("khmer", "ខ្មែរ", ["ខ្", "មែ", "រ"]),
    ("myanmar", "မြန်မာ", ["မြ", "န်", "မာ"]),  # ာ (U+102C) is a spacing mark: attached
    # Since tokenizer 3: the iteration mark and the other scripts written without spaces.
    ("japanese-iteration", "人々は時々来る", ["人", "々", "は", "時", "々", "来", "る"]),
    ("japanese-iteration-latin", "様々OK", ["様", "々", "ok"]),  # 2: "々ok" was one word
    ("javanese", "ꦱꦸꦫꦏꦂꦠ", ["ꦱꦸ", "ꦫ", "ꦏꦂ", "ꦠ"]),  # Surakarta
    ("balinese", "ᬩᬮᬶ", ["ᬩ", "ᬮᬶ"]),  # Bali
    ("tai-tham", "ᨩᩥ᩠ᨦᩲ᩠ᩉ᩠ᨾ᩵", ["ᨩᩥ᩠", "ᨦᩲ᩠", "ᩉ᩠", "ᨾ᩵"]),  # Chiang Mai
    ("yi", "ꆈꌠꁱꂷ", ["ꆈ", "ꌠ", "ꁱ", "ꂷ"]),  # Nuosu script
    ("bopomofo", "ㄓㄨˋ", ["ㄓ", "ㄨ", "ˋ"]),  # the tone mark, a modifier letter, is its own
]


@pytest.mark.parametrize(
    ("text", "graphemes"), [c[1:] for c in UNSPACED], ids=[c[0] for c in UNSPACED]
)
def test_unspaced_scripts_give_one_token_per_grapheme(text: str, graphemes: list[str]) -> None:
    assert tokens(text) == nfc(graphemes)


def test_folds_width_compatibility_and_canonical_forms() -> None:
    assert tokens("ｶﾞｲﾄﾞ") == tokens("ガイド") == ["ガ", "イ", "ド"]  # half-width kana
    assert tokens("ＡＢＣ ﬁle") == ["abc", "file"]  # full-width Latin, ligature
    vi = "Tôi đi chợ mua cá ở Hà Nội."
    assert tokens(unicodedata.normalize("NFD", vi)) == tokens(vi)
    assert tokens("जरूरत ज़रूरत") == tokens("जरूरत \u095b\u0930\u0942\u0930\u0924")  # nukta
    assert tokens("ज़रूरत") != tokens("जरूरत")


def test_marks_that_tell_words_apart_are_kept() -> None:
    for a, b in [
        ("को", "का"),  # Hindi: postpositions
        ("दिन", "दीन"),  # Hindi: day / poor
        ("πότε", "ποτέ"),  # Greek: when / never
        ("νόμος", "νομός"),  # Greek: law / prefecture
        ("دَرَسَ", "دَرَّسَ"),  # Arabic: studied / taught (shadda)
        ("מָלַךְ", "מֶלֶךְ"),  # Hebrew: reigned / king
        ("за́мок", "замо́к"),  # Russian: castle / lock
        ("cá", "cà"),  # Vietnamese: fish / eggplant
        ("ไก่", "ไข่"),  # Thai: chicken / egg
    ]:
        assert tokens(a) != tokens(b), (a, b)
        nfd_a, nfd_b = (unicodedata.normalize("NFD", x) for x in (a, b))
        assert tokens(nfd_a) != tokens(nfd_b), (a, b)


MIXED = st.text(
    alphabet=st.one_of(
        st.characters(),
        st.sampled_from("aé'_ 1-’ ก ิ ่ 漢 か ゙ ा क ् \u0301\u200c\u200d\u0640ΐΣς"),
    )
)


@settings(max_examples=500, deadline=None)
@given(MIXED)
def test_every_path_gives_the_tokens_of_the_general_rule(text: str) -> None:
    """The ASCII and spaced-script fast paths give what the general pattern gives."""
    norm = normalize(text)
    assert tokens(text) == _TOKEN.findall(norm)
    if not _HAS_NO_SPACE.search(norm):
        assert _SPACED_TOKEN.findall(norm) == _TOKEN.findall(norm)


@settings(max_examples=500, deadline=None)
@given(MIXED)
def test_canonically_equivalent_text_gives_the_same_tokens(text: str) -> None:
    nfc_text, nfd_text = (unicodedata.normalize(f, text) for f in ("NFC", "NFD"))
    assert tokens(nfd_text) == tokens(nfc_text) == tokens(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(categories=["L", "M", "N", "Pc", "Zs", "Po", "Pd"])))
def test_tokens_hold_only_word_characters(text: str) -> None:
    for tok in tokens(text):
        assert tok
        for c in tok:
            assert (
                c == "'"
                or unicodedata.category(c)[0] in "LMN"
                or c == "_"
                or (unicodedata.category(c) == "Pc")
            ), (tok, c)


# --- one word changed: never exact; a long paragraph is still near ---------------------

ONE_WORD = [
    ("hindi", "राम ने सीता को फूल दिया।", "राम ने सीता का फूल दिया।"),
    ("bengali", "আমি প্রতিদিন সকালে চা খাই।", "আমি প্রতিদিন বিকেলে চা খাই।"),
    ("tamil", "நான் தினமும் காலையில் காபி குடிக்கிறேன்.", "நான் தினமும் மாலையில் காபி குடிக்கிறேன்."),
    ("thai", "ฉันชอบกินไก่ทอด", "ฉันชอบกินไข่ทอด"),
    (
        "arabic",
        "دَرَسَ مُحَمَّدٌ الرِّيَاضِيَّاتِ فِي الجَامِعَةِ.",
        "دَرَّسَ مُحَمَّدٌ الرِّيَاضِيَّاتِ فِي الجَامِعَةِ.",
    ),
    ("hebrew", "דָּוִד מָלַךְ בִּירוּשָׁלַיִם.", "דָּוִד מֶלֶךְ בִּירוּשָׁלַיִם."),
    ("greek", "Ο νόμος άλλαξε πέρσι.", "Ο νομός άλλαξε πέρσι."),
    ("russian", "Мы долго смотрели на старый за́мок.", "Мы долго смотрели на старый замо́к."),
    ("vietnamese", "Tôi đi chợ mua cá.", "Tôi đi chợ mua cà."),
    (
        "vietnamese-nfd",
        unicodedata.normalize("NFD", "Tôi đi chợ mua cá."),
        unicodedata.normalize("NFD", "Tôi đi chợ mua cà."),
    ),
    ("chinese", "我喜欢喝茶。", "我喜欢喝酒。"),
    ("japanese", "これは私の本です。", "これは私の車です。"),
]


def kinds(first: str, second: str) -> list[str]:
    """Return the kinds of every repeat and review pair found in a two-paragraph text."""
    report = dedup.find_duplicates([f"{first}\n\n{second}\n"])
    return [m.kind.value for m in (*report.removals, *report.review)]


@pytest.mark.parametrize(("a", "b"), [c[1:] for c in ONE_WORD], ids=[c[0] for c in ONE_WORD])
def test_one_word_changed_is_never_exact(a: str, b: str) -> None:
    assert "exact" not in kinds(a, b)
    assert kinds(a, a) == ["exact"]  # the paragraph is compared: its copy is exact


LONG = [
    (
        "hindi",
        "पिछले साल गर्मियों की छुट्टियों में हम पूरे परिवार के साथ शिमला गए थे। वहाँ का मौसम बहुत "
        "सुहाना था और पहाड़ों पर चारों ओर हरियाली फैली हुई थी। सुबह हम माल रोड पर टहलते थे, "
        "दोपहर को बाज़ार में घूमते थे और शाम को होटल लौटकर गरम चाय पीते थे। लौटते समय मैंने "
        "अपने छोटे भाई को एक नई किताब दी, जिसे उसने रास्ते भर पढ़ा।",
        "भाई को",
        "भाई की",
    ),
    (
        "bengali",
        "কলকাতা পশ্চিমবঙ্গের রাজধানী এবং ভারতের অন্যতম প্রাচীন শহর। এই শহরের রাস্তায় হাঁটলে "
        "পুরনো বাড়ি, ট্রাম আর ছোট ছোট চায়ের দোকান চোখে পড়ে। শীতকালে বইমেলা বসে, আর "
        "দুর্গাপুজোর সময় সারা শহর আলোয় সেজে ওঠে। মানুষ রাত জেগে প্যান্ডেল ঘুরে দেখে এবং "
        "বন্ধুদের সঙ্গে আড্ডা দেয়।",
        "শীতকালে",
        "বসন্তকালে",
    ),
    (
        "tamil",
        "சென்னை தமிழ்நாட்டின் தலைநகரம் ஆகும். இது வங்காள விரிகுடாவின் கரையில் "
        "அமைந்துள்ளது. மெரினா கடற்கரை உலகின் மிக நீளமான நகர்ப்புற கடற்கரைகளில் ஒன்றாகும். "
        "ஒவ்வொரு மாலையும் ஆயிரக்கணக்கான மக்கள் அங்கு நடந்து செல்கிறார்கள், சுண்டல் "
        "சாப்பிடுகிறார்கள், கடல் காற்றை அனுபவிக்கிறார்கள். மார்கழி மாதத்தில் நகரம் முழுவதும் "
        "இசைக் கச்சேரிகள் நடைபெறுகின்றன.",
        "மாலையும்",
        "காலையும்",
    ),
    (
        "thai",
        "กรุงเทพมหานครเป็นเมืองหลวงของประเทศไทย มีวัดวาอารามที่สวยงามมากมาย เช่น "
        "วัดพระแก้วและวัดอรุณ ทุกเช้าพระสงฆ์จะออกบิณฑบาต ส่วนตอนเย็นผู้คนชอบไปเดินเล่น"
        "ที่ตลาดนัดและกินอาหารริมทาง",
        "ตอนเย็น",
        "ตอนค่ำ",
    ),
    (
        "arabic",
        "ذَهَبَ أَحْمَدُ صَبَاحَ يَوْمِ الجُمُعَةِ إِلَى السُّوقِ مَعَ أَبِيهِ، فَاشْتَرَيَا خُبْزًا "
        "طَازَجًا وَتُفَّاحًا أَحْمَرَ وَقَلِيلًا مِنَ الجُبْنِ. ثُمَّ جَلَسَا فِي مَقْهًى صَغِيرٍ قُرْبَ "
        "النَّهْرِ، وَشَرِبَا الشَّايَ بِالنَّعْنَاعِ، وَتَحَدَّثَا طَوِيلًا عَنِ المَدْرَسَةِ "
        "وَالأَصْدِقَاءِ وَالسَّفَرِ الَّذِي يُخَطِّطَانِ لَهُ فِي الصَّيْفِ القَادِمِ.",
        "الجُمُعَةِ",
        "السَّبْتِ",
    ),
    (
        "hebrew",  # Genesis 1:1-4; the change is in the niqqud only (darkness / it grew dark)
        "בְּרֵאשִׁית בָּרָא אֱלֹהִים אֵת הַשָּׁמַיִם וְאֵת הָאָרֶץ. וְהָאָרֶץ הָיְתָה תֹהוּ וָבֹהוּ "
        "וְחֹשֶׁךְ עַל־פְּנֵי תְהוֹם וְרוּחַ אֱלֹהִים מְרַחֶפֶת עַל־פְּנֵי הַמָּיִם. וַיֹּאמֶר אֱלֹהִים "
        "יְהִי אוֹר וַיְהִי־אוֹר. וַיַּרְא אֱלֹהִים אֶת־הָאוֹר כִּי־טוֹב וַיַּבְדֵּל אֱלֹהִים בֵּין "
        "הָאוֹר וּבֵין הַחֹשֶׁךְ.",
        "וְחֹשֶׁךְ",
        "וְחָשַׁךְ",
    ),
    (
        "greek",
        "Η Αθήνα είναι η πρωτεύουσα της Ελλάδας και μία από τις αρχαιότερες πόλεις του "
        "κόσμου. Κάθε χρόνο χιλιάδες επισκέπτες ανεβαίνουν στην Ακρόπολη για να δουν τον "
        "Παρθενώνα, περπατούν στα στενά δρομάκια της Πλάκας και τρώνε σουβλάκι σε μικρές "
        "ταβέρνες. Το καλοκαίρι κάνει πολλή ζέστη, γι' αυτό πολλοί φεύγουν για τα νησιά.",
        "πολλή ζέστη",
        "μεγάλη ζέστη",
    ),
    (
        "russian",
        "Каждое лето мы ездим к бабушке в деревню. Там у неё большой сад, где растут яблони, "
        "вишни и смородина. По утрам мы ходим на речку купаться, а вечером сидим на веранде, "
        "пьём чай с вареньем и слушаем, как дедушка рассказывает истории о своей молодости. "
        "Возвращаться в город всегда немного грустно.",
        "вишни",
        "груши",
    ),
    (
        "vietnamese",
        "Hà Nội là thủ đô của Việt Nam, nổi tiếng với những con phố cổ, hồ Hoàn Kiếm và các "
        "món ăn đường phố. Mỗi buổi sáng, người dân thường ngồi uống cà phê bên vỉa hè, ăn "
        "một bát phở nóng rồi mới đi làm. Vào mùa thu, trời trong xanh, gió nhẹ và hoa sữa "
        "nở thơm khắp các con đường.",
        "phở",
        "bún",
    ),
    (
        "chinese",
        "春节是中国最重要的传统节日。每到这个时候，在外地工作的人们都会想尽办法回到家乡，"
        "和家人一起吃年夜饭、看春晚、包饺子。孩子们最喜欢放鞭炮和收红包，大人们则忙着走亲访友，"
        "互相拜年，祝愿新的一年身体健康、万事如意。",
        "收红包",
        "抢红包",
    ),
    (
        "japanese",
        "日本の夏は暑くて湿気が多いですが、各地で花火大会やお祭りが開かれるので、とても楽しい"
        "季節です。浴衣を着て友達と夜店を回り、かき氷を食べながら空に上がる大きな花火を眺める"
        "のが、私の毎年の楽しみになっています。",
        "大きな花火",
        "大きい花火",
    ),
]


@pytest.mark.parametrize(("text", "old", "new"), [c[1:] for c in LONG], ids=[c[0] for c in LONG])
def test_a_long_paragraph_with_one_word_changed_is_near(text: str, old: str, new: str) -> None:
    assert text.count(old) == 1
    changed = text.replace(old, new)
    assert kinds(text, changed) == ["near"]
    # Its NFD spelling is the same words: an exact repeat.
    assert kinds(text, unicodedata.normalize("NFD", text)) == ["exact"]


def test_cli_clean_keeps_both_hindi_sentences(tmp_path: Path) -> None:
    """The issue's report: "को" / "का" were one word, and clean removed a paragraph."""
    src = tmp_path / "hi.txt"
    src.write_text("राम ने सीता को फूल दिया।\n\nराम ने सीता का फूल दिया।\n", encoding="utf-8")
    out = tmp_path / "out.txt"
    result = CliRunner().invoke(app, ["clean", str(src), "-o", str(out), "--quiet"])
    assert result.exit_code == 0, result.stderr
    assert out.read_text(encoding="utf-8") == src.read_text(encoding="utf-8")


# --- the tokeniser is recorded, and old baselines and archives are refused -------------


def test_tokenizer_info() -> None:
    info = tokenizer_info()
    assert info == {"version": TOKENIZER_VERSION, "unicode": unicodedata.unidata_version}
    assert TOKENIZER_VERSION == 3


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    para = LONG[0][1]
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text(f"{para}\n\nपहला अनुच्छेद।\n", encoding="utf-8")
    (tmp_path / "docs" / "b.txt").write_text(f"दूसरा अनुच्छेद।\n\n{para}\n", encoding="utf-8")
    return tmp_path


def test_notes_and_reports_record_the_tokenizer(tree: Path) -> None:
    code, out, err = run("check", "--format", "json", "--exit-zero", "docs")
    assert code == 0, err
    assert json.loads(out)["settings"]["tokenizer"] == tokenizer_info()
    code, _, err = run("clean", "docs/a.txt", "-o", "out.txt", "--notes", "notes.json")
    assert code == 0, err
    notes = json.loads(Path("notes.json").read_text(encoding="utf-8"))
    assert notes["settings"]["tokenizer"] == tokenizer_info()


@pytest.mark.parametrize("recorded", [None, 1, 2, 4])
def test_a_baseline_of_another_tokenizer_is_refused(tree: Path, recorded: int | None) -> None:
    code, _, err = run("check", "--write-baseline", "base.json", "docs")
    assert code == 0, err
    data = json.loads(Path("base.json").read_text(encoding="utf-8"))
    assert data["settings"]["tokenizer"] == tokenizer_info()
    assert run("check", "--baseline", "base.json", "docs")[0] == 0  # accepted: same tokenizer
    if recorded is None:  # written before tokenizers were recorded: version 1
        del data["settings"]["tokenizer"]
    else:
        data["settings"]["tokenizer"]["version"] = recorded
    Path("base.json").write_text(json.dumps(data), encoding="utf-8")
    code, _, err = run("check", "--baseline", "base.json", "docs")
    assert code == 2
    assert err == (
        f"error: --baseline base.json: written with tokenizer {recorded or 1}, this dedup uses "
        f"{TOKENIZER_VERSION}: rebuild it with dedup check --write-baseline base.json PATHS\n"
    )


def _set_archive_tokenizer(db: Path, version: int | None) -> None:
    conn = sqlite3.connect(db)
    with conn:
        (raw,) = conn.execute("SELECT value FROM meta WHERE key = 'settings'").fetchone()
        stored = json.loads(raw)
        assert stored["tokenizer"] == tokenizer_info()
        if version is None:
            del stored["tokenizer"]
        else:
            stored["tokenizer"]["version"] = version
        conn.execute("UPDATE meta SET value = ? WHERE key = 'settings'", (json.dumps(stored),))
    conn.close()


@pytest.mark.parametrize("recorded", [None, 2, 4])
def test_an_archive_of_another_tokenizer_is_refused(tree: Path, recorded: int | None) -> None:
    code, _, err = run("archive", "add", "archive.db", "docs/a.txt")
    assert code == 0, err
    assert run("check", "--against", "archive.db", "docs/b.txt")[0] == 1  # found
    _set_archive_tokenizer(tree / "archive.db", recorded)
    want = (
        f"error: archive.db: archive was built with tokenizer {recorded or 1}, this dedup uses "
        f"{TOKENIZER_VERSION}: rebuild it with dedup archive add NEW-ARCHIVE PATHS from the "
        "published sources (dedup archive export keeps their texts)\n"
    )
    code, _, err = run("check", "--against", "archive.db", "docs/b.txt")
    assert (code, err) == (2, want)
    code, _, err = run("archive", "add", "archive.db", "docs/b.txt")
    assert (code, err) == (2, want)
    # Its texts can still be read out, and stats say which tokenizer built it.
    code, out, err = run("archive", "export", "archive.db")
    assert code == 0, err
    assert len(out.splitlines()) == 2
    code, out, err = run("archive", "stats", "archive.db", "--json")
    assert code == 0, err
    assert json.loads(out)["settings"]["tokenizer"]["version"] == (recorded or 1)
