"""Tokens for the index and the queries: Chinese bigrams and unigrams, English stems, folding."""

import sys
import threading

from inquiry.search.text import MAX_QUERY_CHARS, clean_query, document_tokens, fold, query_terms, stem


def test_chinese_runs_become_bigrams_then_unigrams():
    assert document_tokens("激活社保卡") == "激活 活社 社保 保卡 激 活 社 保 卡"


def test_punctuation_separates_runs_so_phrases_cannot_cross_it():
    tokens = document_tokens("社保，保卡").split()
    # 社保 and 保卡 are never next to each other: each run's unigrams follow its bigrams.
    assert tokens == ["社保", "社", "保", "保卡", "保", "卡"]


def test_english_words_are_lowercased_and_stemmed():
    assert document_tokens("Activate, ACTIVATED; activation.") == "activ activ activ"
    assert document_tokens("card cards") == "card card"


def test_full_width_and_traditional_forms_fold():
    assert fold("ＡＢＣ１２３") == "abc123"
    assert document_tokens("帳戶") == document_tokens("账户")


def test_mixed_chinese_and_english_split_apart():
    assert document_tokens("社保卡card") == "社保 保卡 社 保 卡 card"


def test_query_terms_keep_order_and_drop_duplicates_and_stopwords():
    terms = query_terms("How do I activate my card? activation card")
    assert [term.tokens for term in terms] == [("activ",), ("card",)]


def test_a_query_of_only_stopwords_is_kept():
    assert [term.tokens for term in query_terms("the")] == [("the",)]


def test_chinese_question_words_split_the_query():
    assert [term.text for term in query_terms("社保卡怎么取钱")] == ["社保卡", "取钱"]
    assert [term.text for term in query_terms("激活吗")] == ["激活"]
    # A word that only contains a particle character inside is kept whole.
    assert [term.text for term in query_terms("功能")] == ["功能"]
    # 怎么办理 is 怎么 + 办理 ("how to apply"), not 怎么办 + 理, which left 理 as a word every page had to
    # hold; and 办理 says nothing about which page answers (the pages write 申请, 领 …).
    assert [term.text for term in query_terms("社会保障卡怎么办理")] == ["社会保障卡"]


def test_a_question_after_a_comma_is_not_a_word_to_find():
    # 怎么办呢 on its own, after a comma, once became the term 怎么办 that every page had to hold.
    # (忘了 may be one word or 忘 + 了: jieba keeps words the synonym table taught it earlier in the process.)
    words = [term.text for term in query_terms("社保卡密码忘了,怎么办呢?")]
    assert words[:2] == ["社保卡", "密码"] and words[2:] in (["忘"], ["忘了"])
    words = [term.text for term in query_terms("卡丢了，怎么办？如何补办？")]
    assert words[0] == "卡" and words[1] in ("丢", "丢了") and words[2:] == ["补办"]
    # A query that is nothing but a question is searched as typed.
    assert [term.text for term in query_terms("怎么办")] == ["怎么办"]


def test_one_and_two_character_terms():
    assert query_terms("卡")[0].tokens == ("卡",)
    assert query_terms("余额")[0].tokens == ("余额",)
    assert query_terms("金融账户")[0].tokens == ("金融", "融账", "账户")


def test_operators_and_symbols_are_not_terms():
    assert query_terms('" * ( ) : ^ - {} []') == []
    # FTS operator words are ordinary words here (and, or, not are English stopwords).
    assert [term.text for term in query_terms("NEAR(卡 AND card) OR NOT -x")] == ["near", "卡", "card", "x"]


def test_clean_query_removes_control_characters_and_limits_length():
    assert clean_query("a\x00b\tc\u200bd") == "a b c d"
    assert len(clean_query("卡" * 10_000)) == MAX_QUERY_CHARS
    assert clean_query(None) == ""


def test_a_question_is_cut_into_the_subjects_words():
    assert [term.text for term in query_terms("查缴费记录")] == ["查", "缴费", "记录"]
    assert [term.text for term in query_terms("社保卡存钱了但是没激活")] == ["社保卡", "存钱", "激活"]
    # Compounds of the lexicon stay whole: a phrase of bigrams, as before.
    assert query_terms("金融账户")[0].tokens == ("金融", "融账", "账户")


def test_words_without_a_subject_are_dropped_unless_nothing_else_is_left():
    assert [term.text for term in query_terms("我的社保卡")] == ["社保卡"]
    assert [term.text for term in query_terms("社保卡 我的")] == ["社保卡"]
    assert [term.text for term in query_terms("我的")] == ["我的"]
    assert [term.text for term in query_terms("的")] == ["的"]


def test_synonyms_of_a_term_and_english_phrases():
    from inquiry.search.text import Thesaurus

    thesaurus = Thesaurus([["公交", "地铁", "乘车"], ["bus", "public transport"], ["丢了", "挂失"]])
    terms = query_terms("社保卡坐地铁", thesaurus)
    assert [term.text for term in terms] == ["社保卡", "坐", "地铁"]
    assert {synonym.text for synonym in terms[2].synonyms} == {"公交", "乘车"}
    assert [phrasing.tokens for phrasing in terms[2].phrasings][0] == ("地铁",)
    english = query_terms("card on public transport", thesaurus)
    assert [term.tokens for term in english] == [("card",), ("public", "transport")]
    assert [synonym.tokens for synonym in english[1].synonyms] == [("bus",)]
    # A known word ending in a particle is kept whole: 丢了, not 丢.
    assert [term.text for term in query_terms("卡丢了吗", thesaurus)] == ["卡", "丢了"]


def test_jieba_cuts_a_question_into_words_and_keeps_the_subjects_words_whole():
    assert [term.text for term in query_terms("社保卡的钱家人能用吗")] == ["社保卡", "钱", "家人", "用"]
    # jieba alone cuts 社保卡 into 社保 + 卡; the subject's lexicon keeps it whole.
    assert "社保卡" in [term.text for term in query_terms("医保卡未激活社保卡")]
    # Rare characters next to each other are a word jieba does not know: kept together.
    assert [term.text for term in query_terms("鸸鹋社保卡")] == ["鸸鹋", "社保卡"]


def test_loading_the_segmenter_writes_no_file(tmp_path, monkeypatch):
    import tempfile

    from inquiry.search.segment import Segmenter

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    segmenter = Segmenter()
    assert segmenter.cut("查缴费记录", ["缴费", "记录"]) == ["查", "缴费", "记录"]
    assert list(tmp_path.iterdir()) == []


def test_english_words_stem_alike_in_threads_at_once():
    # A threaded server stems the words of two searches at once (the editors' picks, read anew after an
    # edit, are many words). Threads switched as often as possible: each gets the stems one thread gets.
    words = ["unemployment", "benefits", "recognition", "transferring", "certification", "contributions"] * 40
    expected = [stem.__wrapped__(word) for word in words]
    got, errors = [], []

    def stem_them():
        try:
            got.append([stem.__wrapped__(word) for word in words])
        except Exception as error:  # noqa: BLE001 - the failure is what the test reports
            errors.append(repr(error))

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=stem_them) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert errors == []
    assert got == [expected] * 8
