from conftest import hits


def test_first_person_bio():
    bio = (
        "With over ten years of experience in journalism, I bring a passion for storytelling to every piece. "
        "Currently, I work as a freelance writer covering science."
    )
    assert hits("BIO001", "Some news.\n" + bio) == [bio]


def test_first_person_quote_in_a_story_is_not_a_bio():
    quote = '"I have worked here for ten years and I have never seen water this high," said the ferry captain.'
    assert hits("BIO001", quote) == []


def test_third_person_blurb_at_the_end_only():
    story = "\n".join(["The flood closed the road for two days, officials said."] * 6)
    blurb = "Jane Roe is a staff writer at the Daily Courier who covers transport."
    assert hits("BIO002", story + "\n" + blurb) == [blurb]
    middle = (
        ["The flood closed the road."] * 4
        + ["John Smith is a reporter who was injured covering the protest."]
        + ["More rain is expected."] * 6
    )
    assert hits("BIO002", "\n".join(middle)) == []


def test_contact_lines():
    text = "Have a tip? Jane Roe can be reached at jane.roe@example.com\nThe agency said it would email the results."
    assert hits("BIO003", text) == ["Have a tip? Jane Roe can be reached at jane.roe@example.com"]
