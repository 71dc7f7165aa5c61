"""The end of a release: its end mark, the officers' initials, and the press
contacts and office address a board closes with are not the release's."""

from __future__ import annotations

import pytest

from crawler.extract.endmatter import without_end_matter


def test_separators_go_and_meaningful_marks_stay():
    assert without_end_matter(["One.", "* * *", "****************", "...", "Two."]) == ["One.", "...", "Two."]


IRCC_CONTACTS = [
    *["Mathieu Genest", "Minister’s Office", "Immigration, Refugees and Citizenship Canada", "613-954-1064"],
    *["Media Relations", "Communications Branch", "Immigration, Refugees and Citizenship Canada", "613-952-1650"],
    *["IRCC.COMMMediaRelations@cic.gc.ca", "Media Relations", "Canada Border Services Agency", "613-957-6500"],
]


@pytest.mark.parametrize(
    "body, kept",
    [
        # a contact heading, the office's address, the night line, the social links
        (
            [
                "Text.",
                "More text.",
                "Contact Press Office",
                "Press Office",
                "16th Floor, 1 Westfield Ave",
                "London",
                "E20 1HZ",
                "Email press.office@insolvency.gov.uk",
                "Media Manager 0303 003 1743",
                "This service is for journalists only. For any other queries, please contact the Enquiry Line.",
                "For all media enquiries outside normal working hours, please call the Press Office on 020 7215 1000.",
                "You can also follow the Insolvency Service on:",
                "Twitter",
                "LinkedIn",
            ],
            2,
        ),
        # one sentence that only says whom to call, and what follows it
        (
            [
                "The Committee decided.",
                "Voting for the monetary policy action were the members.",
                "For media inquiries, please email [email protected] or call 202-452-2955.",
                "Implementation Note issued July 30, 2025",
            ],
            2,
        ),
        (["Text.", "For media enquiries, please call 01932 440015.", "Newsdate: 25 May 2022"], 1),
        (["Text.", "For further information contact Sharon Franklin — 202-296-4129, or info@pclob.gov."], 1),
        (["Text.", "For more information, please contact the press desk at press@example.gov."], 1),
        # whom to call in Swedish, French, German, under its label
        (
            [
                "Text.",
                "För mer information",
                "För mer information kontakta riksdagsinformation, telefon: 020-349 000, e-post: info@riksdagen.se",
            ],
            1,
        ),
        (["Text.", "Pour plus d'informations, veuillez contacter le service de presse : presse@example.fr"], 1),
        # the officer responsible for the release, named with her number and address (Saxony)
        (
            [
                "Text.",
                "Verantwortlich für vorliegende Medieninformation ist Frau Staatsanwältin Boden als Pressesprecherin "
                "der Wirtschaftsabteilungen der Staatsanwaltschaft Leipzig, Tel. 0341/2136-146, boden@example.de.",
            ],
            1,
        ),
        (["Text.", "The spokesperson, Ana Ruiz, can be reached at 202-555-0143 or ana.ruiz@example.gov."], 1),
        # a spokesperson quoted, no number or address: the release's
        (["Text.", "The spokesperson said the office would publish the full report in the spring."], 2),
        (["Text.", "Für weitere Auskünfte wenden Sie sich an die Pressestelle, presse@example.de."], 1),
        # a closing label over a link or two to read on
        (["Text.", "More text.", "Mer information", "Så bildas en ny regering"], 2),
        (["Text.", "See also:", "How a government is formed", "The Speaker's role"], 1),
        # a closing line that only points elsewhere (Familjen Helsingborg); a file offered "here" is the text's
        (["Text.", "Läs mer om Europa Direkt här."], 1),
        (["Text.", "Read more about the programme here."], 1),
        (["Text.", "Comparison chart available here."], 2),
        (["Text.", "Link to Official White House Statement"], 1),  # the PCLOB
        (["Text.", "Link to the statement in full: see the annex."], 2),
        (["Text.", "Read more about the programme here.", "The ministry thanked the volunteers."], 3),
        # the label over the release's own sentences, or over a long list: the release's
        (["Text.", "More information", "The ministry will publish the full report in the spring."], 3),
        (["Text.", "More information", "Upprop", "Val av talman", "Öppnandet", "Webb-tv", "Program"], 7),
        # an offer of information to the public, with no one to contact: the release's
        (["Text.", "For more information on the programme, visit example.gov or call 311."], 2),
        # the office's closing address block
        (
            [
                "Text.",
                "Office of Minnesota Attorney General Keith Ellison",
                "445 Minnesota Street, Suite 600",
                "St. Paul, MN 55101",
                "(651) 296-3353 (Twin Cities Calling Area)",
                "(800) 657-3787 (Outside the Twin Cities)",
            ],
            1,
        ),
        # a meeting's details: an ID like a number to call, but a day too (Cuyahoga County's notices)
        (
            [
                "Join the Teams meeting.",
                "Meeting ID: 227 002 759 696",
                "Passcode: xw4Pza",
                "June 07, 2023 6:00 PM - 8:00 PM",
                "Location",
                "MS Teams Meeting",
            ],
            6,
        ),
        # a call's numbers to dial in with, no day among them (St. Louis's Zoom notices)
        (
            [
                "Please click the link below to join the webinar:",
                "Join Zoom Meeting",
                "Meeting ID: 940 9787 9083",
                "One tap mobile",
                "+16465588656,,94097879083# US (New York)",
                "Dial by your location",
                "+1 646 558 8656 US (New York)",
                "+1 312 626 6799 US (Chicago)",
            ],
            8,
        ),
        # short closing lines with numbers, but no number to call: the release's
        (["Text.", "Timeline:", "2020-2021 planning", "2021-2022 building", "2022-2023 opening"], 5),
        (["Text.", "Doses given:", "Seoul 1,200,000", "Busan 450,000", "Incheon 380,000"], 5),
        (["Text.", "Press inquiries rose by 20 percent in 2023, the office said."], 2),
        (["Text.", "Contact tracing teams reached 12,000 people.", "The ministry thanked them."], 3),
        # a table's total closing the release is not a phone number
        (["Text.", "Area Cases Active", "WODONGA 2 0", "YARRIAMBIACK 1 0", "Total 20295 191"], 5),
        # 問い合わせ, then offices and their local numbers, named as phone numbers
        (
            [
                "本文。",
                "問い合わせ",
                "住所地の区役所・支所の国保年金係、出張所",
                "東灘 電話 841－4131（代）",
                "灘 電話 843－7001（代）",
                "中央 電話 232－4411（代）",
            ],
            1,
        ),
        (["본문입니다.", "문의처", "홍보과 전화 02-2100-7044"], 1),
        # a label that says whom to ask, over a name and the numbers (Familjen Helsingborg)
        (
            [
                "Text.",
                "För ytterligare information:",
                "Ulf Dahlström, redaktionschef för Rampljus",
                "Tel: 0723-97 07 62",
                "Mejl: ulf.dahlstrom@helsingborg.se",
            ],
            1,
        ),
        (["Text.", "Vid frågor är du välkommen att kontakta:", "Jenny Bramell, 0709-62 91 50 eller jb@example.se"], 1),
        (["Text.", "For further information:", "Jane Doe, Press Officer", "020 7946 0000"], 1),
        # the same words closing a sentence of the text, or over lines with no one to call: the release's
        (["Text.", "Residents who want to help should contact:", "their local council", "the Red Cross"], 4),
        (["Text.", "Pressekontakt:", "Tel. 322-5216"], 1),
        # a phone's name in the text, no contacts after it: the release's
        (["Text.", "電話相談は平日の午前9時から受け付けます。"], 2),
        # the issuing officers' initials under the closing rule
        (["Text.", "More text.", "*****", "PR/ASM/VMJ"], 2),
        (["Text.", "*****", "Nihi Sharma/ Laxya Lohan"], 1),
        # the office's channels, each a name and its address (the World Bank)
        (["Text.", "Website: www.worldbank.org/", "Facebook: http://www.facebook.com/worldbank"], 1),
        (["Text.", "Read the report: https://example.org/report"], 2),  # one link the text gives
        # three officers under "Contacts", each a few lines (Canada.ca's news releases)
        (["Text.", "Contacts", "Contacts for media only", *IRCC_CONTACTS], 1),
        # a "Contacts" line over sentences is the release's
        (["Text.", "Contacts", "The ministry met its counterparts in May.", *IRCC_CONTACTS], 15),
    ],
)
def test_press_contacts_and_the_office_s_address_end_the_release(body, kept):
    assert without_end_matter(body) == body[:kept]


def test_a_contact_box_in_mid_text_goes_and_what_follows_it_stays():
    body = [
        "Victoria recorded 15 new cases.",
        "Media enquiries:",
        "Department of Health & Human Services Media Unit (03) 9096 8860 or press@dhhs.vic.gov.au",
        "Cases by Local Government Area",
        "Please find the latest notifications below.",
    ]
    assert without_end_matter(body) == [body[0], *body[3:]]
    # a heading of that name over text that gives no number or address is the release's
    text = ["Text.", "Media enquiries:", "They rose by a third this year.", "One.", "Two.", "Three.", "Four."]
    assert without_end_matter(text) == text


@pytest.mark.parametrize("mark", ["###", "# # #", "####", "#####"])
def test_an_end_mark_of_three_hashes_or_more_ends_the_release(mark):
    # Philadelphia's releases close with "####", then the offices' "About …" paragraphs
    body = ["Text.", mark, "About Philadelphia Parks & Recreation", "Philadelphia Parks & Recreation advances …"]
    assert without_end_matter(body) == ["Text."]
