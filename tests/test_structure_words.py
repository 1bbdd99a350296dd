"""Structure rules count words in every script as a reader does.

Captions, labels, lead-ins and fragments are told apart from prose by how many words they
have. Those words are ``dedup.text.normalize``'s (marks and joiners inside a word), so a Hindi
or Arabic word with vowel signs is one word, not three; scripts written without spaces
count a word per 1.5 Chinese or Japanese characters and per 3 Thai graphemes, so a long
Chinese list item is prose, not a one-word fragment. ASCII and precomposed Latin text is
counted exactly as before.
"""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dedup
from dedup.core.models import Document
from dedup.text.segment import segment
from dedup.text.structure import count_words

PROSE = "The build step reads every page and writes the site."


def compared(text: str) -> list[str]:
    """Return the paragraphs of a Markdown document that are compared (not structure)."""
    seg = segment(Document("a.md", text, syntax="markdown"))
    return [c.strip() for c in seg.compare]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("इसे स्थापित करने के लिए यह आदेश चलाएँ", 8),  # Hindi: to install it, run this command
        ("নতুন ফাইল তৈরি করুন", 4),  # Bengali: create a new file
        ("புதிய கோப்பை உருவாக்கவும்", 3),  # Tamil: create a new file
        ("عَلَى سَبِيلِ المِثَالِ", 3),  # Arabic with harakat: for example
        ("לְדוּגְמָה, הַפְקֻדָּה הַבָּאָה", 3),  # Hebrew with niqqud: for example, the next command
        ("Για παράδειγμα", 2),  # Greek
        (unicodedata.normalize("NFD", "Για παράδειγμα"), 2),  # Greek typed decomposed
        ("Например, так", 2),  # Russian
        (unicodedata.normalize("NFD", "Tạo một tệp mới"), 4),  # Vietnamese typed decomposed
        ("کتاب\u200cها را بخوانید", 3),  # Persian: ZWNJ inside a word
        ("e.g. well-known don’t café", 4),  # Latin: joined words count once, as before
        ("我今天去北京", 4),  # Chinese: 我 今天 去 北京 (6 characters / 1.5)
        ("ฉันกินข้าวแล้ว", 4),  # Thai: ฉัน กิน ข้าว แล้ว (10 graphemes / 3, rounded up)
        ("Linux系统", 3),  # Latin word, then a Chinese run (2 characters: 2 words)
    ],
)
def test_words_are_counted_as_a_reader_counts_them(text: str, words: int) -> None:
    assert count_words(text) == words


def test_a_hindi_lead_in_is_structure() -> None:
    """Eight Hindi words ending in ':' are a lead-in, as "To install it, run:" is.

    Python's ``\\w`` (no marks) made 14 words of them, so the lead-in was compared.
    """
    lead = "इसे स्थापित करने के लिए यह आदेश चलाएँ:"
    assert compared(f"{lead}\n\n{PROSE}\n") == [PROSE]
    assert compared("To install it, run this command:\n\n" + PROSE + "\n") == [PROSE]


@pytest.mark.parametrize(
    "lead",
    [
        "عَلَى سَبِيلِ المِثَالِ:",  # Arabic with harakat: for example
        "לְדוּגְמָה:",  # Hebrew with niqqud
        unicodedata.normalize("NFD", "Για παράδειγμα:"),  # Greek, decomposed
        "例如：",  # Chinese, with a full-width colon
        "次の例を参照してください：",  # Japanese: see the following example
    ],
)
def test_short_lead_ins_in_other_scripts_are_structure(lead: str) -> None:
    assert compared(f"{lead}\n\n{PROSE}\n") == [PROSE]


def test_a_long_chinese_list_item_is_prose_and_its_repeat_is_found() -> None:
    """A Chinese sentence without a full stop was one ``\\w`` word: a fragment, never
    compared, so its copy in another file went unreported."""
    item = "使用这个命令可以在不同的操作系统上安装所有必要的依赖项"
    text = f"- {item}\n- 另一个完全不同的条目也在这里列出来了\n"
    assert item in compared(text)
    report = dedup.find_duplicates(
        [
            Document("a.md", text, syntax="markdown"),
            Document("b.md", f"- {item}\n", syntax="markdown"),
        ]
    )
    assert [m.kind.value for m in report.removals] == ["exact"]


@pytest.mark.parametrize(
    ("item", "fragment"),
    [
        ("नई फ़ाइल बनाएँ", True),  # Hindi: "create a new file", 3 words (5 for \w)
        ("यह काम करता है।", False),  # Hindi: "this works." A sentence: danda
        ("ফাইলটি খুলুন।", False),  # Bengali sentence, danda
        ("افتح الملف.", False),  # Arabic sentence
        ("פתח את הקובץ׃", False),  # Hebrew, sof pasuq
        ("ファイル設定", True),  # Japanese: file settings (no full stop)
        ("ファイルを開きます。", False),  # Japanese sentence
        ("เปิดไฟล์", True),  # Thai: open file
        ("New file", True),  # English, as before
        ("It works.", False),
    ],
)
def test_list_fragments_and_sentences_in_every_script(item: str, fragment: bool) -> None:
    other = "Every list here has one more entry with many words in it to compare."
    found = compared(f"- {item}\n- {other}\n")
    assert (item not in found) is fragment, found


@pytest.mark.parametrize(
    "label",
    [
        "Имя файла: src/main.rs",  # Russian: Filename
        "Όνομα αρχείου: src/main.rs",  # Greek
        "फ़ाइल का नाम: src/main.rs",  # Hindi (no case)
        "اسم الملف: src/main.rs",  # Arabic (no case)
        "文件名：src/main.rs",  # Chinese, full-width colon
        "Filename: src/main.rs",  # English, as before
    ],
)
def test_filename_labels_in_every_script_are_structure(label: str) -> None:
    assert compared(f"{label}\n\n{PROSE}\n") == [PROSE]


# The rule before words in every script: Python's ``\w`` (no marks), words joined by - ' U+2019 .
_OLD = re.compile(r"\w+(?:[-'\u2019.]\w+)*")
_OLD_LABEL = re.compile(r"^\s*[A-Z][\w-]*(?:\s+[\w-]+){0,2}\s*:\s+\S")

# Latin-script text as typed (precomposed), with digits, punctuation and spaces.
LATIN = st.text(
    alphabet=st.one_of(
        st.characters(codec="ascii"),
        st.sampled_from("éèàçñößøåÆŒæœÉÀÇÑÜ’‘“”«»–—…€£½²"),
    ),
    max_size=60,
)


@settings(max_examples=400, deadline=None)
@given(LATIN)
def test_latin_text_is_counted_as_before(text: str) -> None:
    assert count_words(text) == len(_OLD.findall(text))
    from dedup.text.structure import _is_label

    assert _is_label(text) == (_OLD_LABEL.match(text) is not None)
