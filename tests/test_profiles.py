"""Site profiles: declarative, validated at load time, usable everywhere."""

import pytest

from crawler.extract.pages import release_key
from crawler.sites.profile import ProfileError, all_profiles, builtin_profiles, load_profile

from .helpers import FILES, ROOT, run_presswatch

MINIMAL = 'id = "x"\nname = "X"\nbase_url = "https://x.example"\nstart = "/news"\n'


@pytest.mark.parametrize(
    "text, message",
    [
        (MINIMAL + "colour = 'red'\n", "unknown key 'colour'"),
        (MINIMAL + "[detail]\ntitel = 'h1'\n", "unknown key 'titel' in [detail]"),
        (MINIMAL + "[detail]\ntitle = 'h1[['\n", "[detail] title: invalid CSS selector"),
        (MINIMAL + "[links]\npattern = '(unclosed'\n", "[links] pattern: invalid regular expression"),
        (MINIMAL + "timezone = 'Asia/Nowhere'\n", "'timezone' is not a known timezone"),
        (MINIMAL + "encoding = 'klingon-8'\n", "'encoding' is not a known encoding"),
        (MINIMAL.replace('start = "/news"\n', ""), "one of 'start', 'feed' or 'sitemap' is required"),
        (MINIMAL + "[pagination]\nmax_pages = 'many'\n", "[pagination] max_pages must be an integer, not str"),
        (MINIMAL + "[detail]\ndrop = ['p:::x']\n", "[detail] drop: invalid CSS selector"),
        ("id = [", "x.toml:"),
    ],
)
def test_broken_profile_is_refused_naming_file_and_key(text, message):
    with pytest.raises(ProfileError) as error:
        load_profile("x.toml", text)
    assert str(error.value).startswith("x.toml: ")
    assert message in str(error.value)


def test_only_start_and_identity_are_required():
    profile = load_profile("x.toml", MINIMAL)
    assert profile.generic and profile.start == ("/news",) and profile.timezone == "UTC"


def test_builtin_profiles():
    profiles = builtin_profiles()
    assert set(profiles) == {"mofa_en", "mofa_ko"}
    assert profiles["mofa_ko"].timezone == "Asia/Seoul" and profiles["mofa_ko"].key_query == "seq"


@pytest.mark.parametrize(
    "extra, url, key",
    [
        ('key = "seq"\n', "https://x.example/view.do?page=2&seq=77", "77"),
        ("key_segment = -1\n", "https://x.example/news/2017/release-77/", "release-77"),
        ("", "https://X.example/news/a?utm_source=rss&b=2&a=1#top", "https://x.example/news/a?a=1&b=2"),
    ],
)
def test_identity_key_rules(extra, url, key):
    assert release_key(url, load_profile("x.toml", MINIMAL + extra)) == key


def test_a_directory_of_profiles_joins_the_built_in_ones(monkeypatch):
    monkeypatch.setenv("PRESSWATCH_SITES_DIR", str(FILES / "sites"))
    in_folder = {path.stem for path in (FILES / "sites").glob("*.toml")}
    assert "example_press" in in_folder
    assert set(all_profiles()) == {"mofa_en", "mofa_ko"} | in_folder


def test_sites_lists_profiles_from_files_and_directories():
    listed = run_presswatch("sites", "--site-file", str(FILES / "sites" / "example_press.toml"))
    assert "example_press" in listed.stdout and "example_press.toml" in listed.stdout
    in_dir = run_presswatch("sites", env={"PRESSWATCH_SITES_DIR": str(FILES / "sites")})
    assert "example_press" in in_dir.stdout


def test_scrapy_list_sees_the_directory(tmp_path):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "list"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**__import__("os").environ, "PRESSWATCH_SITES_DIR": str(FILES / "sites")},
    )
    in_folder = {path.stem for path in (FILES / "sites").glob("*.toml")}
    assert result.stdout.split() == sorted({"mofa_en", "mofa_ko", "presswatch"} | in_folder)


def test_broken_site_file_is_a_usage_error(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(MINIMAL + "[detail]\ntitle = 'h1[['\n")
    result = run_presswatch("crawl", "x", "--site-file", str(bad))
    assert result.returncode == 2
    assert "bad.toml: [detail] title: invalid CSS selector" in result.stderr


def test_links_by_xpath_and_invalid_xpath_refused():
    from crawler.extract.pages import parse_list

    profile = load_profile("x.toml", MINIMAL + "[links]\nxpath = \"//ul[@class='press']/li/a\"\n")
    page = "<ul class='press'><li><a href='/n/1'>One</a></li><li><a href='/n/2?utm_source=x'>Two</a></li></ul><a href='/about'>About</a>"
    listed = parse_list(page, profile, "https://x.example/news")
    assert [(item.key, item.title) for item in listed] == [
        ("https://x.example/n/1", "One"),
        ("https://x.example/n/2", "Two"),
    ]
    with pytest.raises(ProfileError, match=r"\[links\] xpath: invalid XPath"):
        load_profile("x.toml", MINIMAL + '[links]\nxpath = "//ul["\n')
