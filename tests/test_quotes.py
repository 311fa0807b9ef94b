from conftest import corpus_findings

A = 'Mr Guterres called "in the strongest terms for an immediate end to the fighting and for de-escalation", his office said.'
B = "UN chief Antonio Guterres called “in the strongest terms for an immediate end to the fighting and for de-escalation”."
C = "For his part, Guterres called “in the most intense way to end the conflicts and to de-escalate the fighting”."
D = "Guterres also said “the humanitarian situation in the region is deteriorating by the hour”."


def test_retranslated_quote_is_flagged_with_the_attested_wording():
    found = corpus_findings({"a": A, "b": B, "c": C}, ("MT009",))
    assert [(f.doc_id, f.evidence) for f in found] == [
        ("c", "in the most intense way to end the conflicts and to de-escalate the fighting")
    ]
    assert "strongest terms" in found[0].message
    assert found[0].suggestion is None  # information: a quotation is never rewritten


def test_a_different_statement_or_too_few_sources_is_not_drift():
    assert corpus_findings({"a": A, "b": B, "d": D}, ("MT009",)) == []
    assert corpus_findings({"a": A, "c": C}, ("MT009",)) == []


def test_the_message_cuts_a_long_quotation_at_a_word():
    from audit.text import cut_words

    quote = "The secretary-general calls in the strongest terms for an immediate end to the fighting in the region"
    assert cut_words(quote, 80) == "The secretary-general calls in the strongest terms for an immediate end to the…"
