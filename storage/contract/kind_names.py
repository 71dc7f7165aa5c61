"""Names in Chinese, Japanese and Korean, scripts without case (for storage.kinds).

A capital marks a name in English; nothing does in these scripts, and a
word segmenter (jieba, janome) costs about a hundred times the budget of
typing a change.  So a changed run is a ``name`` when it falls inside one
of these spans of its sentence:

- a known name (NAMES): countries and regions, their capitals and large
  cities, China's provinces, Japan's prefectures, international and
  government bodies; a name all in Katakana only as a whole Katakana run
  (タイ, Thailand, is not the start of タイトル), a Korean one only at the
  start of a word (its particle follows it: 말라위를);
- a body by its ending: two to five Han or Katakana letters, none a
  function word, before 部, 省, 庁 or 党, or before 委员会 / 委員会
  (外交部, 経済産業省, デジタル庁, 共产党);
- a person before a title: two or three Han letters before 女士, 先生,
  大使, 部长, 大臣, 氏, さん and the like (胡平华女士);
- a foreign name in Chinese: three letters or more all from the letters
  used to spell foreign names (马拉维, 慕尼黑, 默克尔).

A common word swapped (合作 → 交流, 社会 → 世界) is none of these: ``wording``.
"""

from __future__ import annotations

import functools
import re

# Simplified letters and their traditional forms, so that one list serves both.
_TRADITIONAL = str.maketrans(
    "国罗马韩亚兰尔乌湾伦维纳兹门达约叶泽东团组织联卢鲁华顿纽叙贝宁辽苏广龙陕贵丽麦腊鲜岛库济买缅挝宾莱别秘",
    "國羅馬韓亞蘭爾烏灣倫維納茲門達約葉澤東團組織聯盧魯華頓紐敘貝寧遼蘇廣龍陝貴麗麥臘鮮島庫濟買緬撾賓萊別祕",
)
_ZH = """
中国 美国 英国 法国 德国 日本 韩国 朝鲜 俄罗斯 印度 巴西 加拿大 澳大利亚 新西兰 意大利 西班牙 葡萄牙 荷兰 比利时 瑞士
瑞典 挪威 丹麦 芬兰 冰岛 爱尔兰 奥地利 波兰 捷克 斯洛伐克 匈牙利 罗马尼亚 保加利亚 希腊 土耳其 塞尔维亚 克罗地亚 乌克兰
白俄罗斯 立陶宛 拉脱维亚 爱沙尼亚 卢森堡 摩纳哥 马耳他 塞浦路斯 伊朗 伊拉克 叙利亚 约旦 黎巴嫩 以色列 巴勒斯坦 沙特 阿联酋
卡塔尔 科威特 巴林 阿曼 也门 埃及 利比亚 突尼斯 阿尔及利亚 摩洛哥 苏丹 埃塞俄比亚 肯尼亚 坦桑尼亚 乌干达 卢旺达 马拉维
赞比亚 津巴布韦 莫桑比克 南非 纳米比亚 博茨瓦纳 安哥拉 刚果 尼日利亚 加纳 塞内加尔 马里 尼日尔 喀麦隆 索马里 马达加斯加
毛里求斯 巴基斯坦 阿富汗 孟加拉国 斯里兰卡 尼泊尔 缅甸 泰国 越南 老挝 柬埔寨 马来西亚 新加坡 印度尼西亚 印尼 菲律宾
文莱 蒙古 哈萨克斯坦 乌兹别克斯坦 吉尔吉斯斯坦 塔吉克斯坦 土库曼斯坦 阿塞拜疆 格鲁吉亚 亚美尼亚 墨西哥 古巴 阿根廷 智利
秘鲁 哥伦比亚 委内瑞拉 厄瓜多尔 玻利维亚 巴拉圭 乌拉圭 巴拿马 哥斯达黎加 牙买加 斐济
亚洲 欧洲 非洲 美洲 大洋洲 拉美 中东 北美 南美 东盟 欧盟 非盟 北约 联合国 世贸组织 世卫组织 二十国集团 上合组织 金砖国家
国务院 全国人大 政协
北京 上海 天津 重庆 广州 深圳 香港 澳门 台湾 台北 南京 杭州 武汉 成都 西安 东京 大阪 首尔 平壤 莫斯科 伦敦 巴黎 柏林
罗马 马德里 里斯本 布鲁塞尔 日内瓦 维也纳 华盛顿 纽约 渥太华 堪培拉 新德里 曼谷 河内 雅加达 马尼拉 开罗 内罗毕 拉巴特
利隆圭 德黑兰 利雅得 迪拜 阿布扎比 伊斯兰堡 喀布尔 慕尼黑
河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 海南 四川 贵州 云南 陕西 甘肃 青海 内蒙古
广西 西藏 宁夏 新疆
""".split()
_JA = """
日本 中国 韓国 北朝鮮 米国 英国 台湾 香港 欧州 国連 南アフリカ
アメリカ イギリス フランス ドイツ イタリア スペイン ロシア カナダ オーストラリア インド ブラジル メキシコ インドネシア タイ
ベトナム フィリピン マレーシア シンガポール ミャンマー カンボジア ラオス モンゴル ウクライナ ポーランド オランダ ベルギー スイス
スウェーデン ノルウェー デンマーク フィンランド オーストリア ギリシャ トルコ イラン イラク イスラエル サウジアラビア エジプト
ケニア ナイジェリア エチオピア マラウイ アルゼンチン チリ ペルー アジア アフリカ ヨーロッパ
北海道 青森 岩手 宮城 秋田 山形 福島 茨城 栃木 群馬 埼玉 千葉 東京 神奈川 新潟 富山 石川 福井 山梨 長野 岐阜 静岡 愛知
滋賀 京都 大阪 兵庫 奈良 和歌山 鳥取 島根 岡山 広島 山口 徳島 香川 愛媛 高知 福岡 佐賀 長崎 熊本 宮崎 鹿児島 沖縄
横浜 名古屋 神戸 札幌 仙台 北九州
内閣 内閣府 内閣官房 国会 衆議院 参議院 官邸
""".split()
_KO = """
한국 대한민국 북한 조선 중국 일본 미국 영국 프랑스 독일 러시아 브라질 캐나다 호주 이탈리아 스페인 말라위 말레이시아
베트남 태국 필리핀 인도네시아 싱가포르 몽골 우크라이나 이란 이라크 이스라엘 이집트 남아공 아프리카 유럽 아시아 유엔
서울 부산 인천 대구 광주 대전 울산 제주 평양 도쿄 베이징 워싱턴 외교부 통일부 국방부 청와대 국회
""".split()
NAMES = frozenset(_ZH) | {name.translate(_TRADITIONAL) for name in _ZH} | frozenset(_JA) | frozenset(_KO)
_BY_FIRST: dict[str, tuple[str, ...]] = {}
for _name in sorted(NAMES, key=len, reverse=True):  # the longest first: 南苏丹 before 苏丹
    _BY_FIRST[_name[0]] = (*_BY_FIRST.get(_name[0], ()), _name)

_KATAKANA = re.compile(r"[\u30a0-\u30ff]+")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
# Letters that are words of grammar, not parts of a name: a body's or a person's span stops at them.
_FUNCTION = "的了在是和与同对向将把被也都又就而及并其这那之于为以从由等各我你他她它们个该此即"
_LETTER = rf"(?:(?![{_FUNCTION}])[\u4e00-\u9fff\u30a0-\u30ff])"
_HAN = rf"(?:(?![{_FUNCTION}])[\u4e00-\u9fff])"
_BODY = re.compile(rf"{_LETTER}{{2,5}}(?:部(?![分门])|省|庁|党|委员会|委員会)")
_TITLES = "女士|先生|夫人|总统|總統|总理|總理|主席|部长|部長|大使|外长|教授|博士|议员|議員|首相|大臣|長官|知事|市長|調整官|審議官|氏|さん"
_PERSON = re.compile(rf"{_HAN}{{2,3}}(?=(?:{_TITLES}))")
# The letters Chinese spells foreign names with (马拉维 Malawi, 默克尔 Merkel), as Xinhua's tables use them.
_SPELLING = (
    "阿埃艾爱安奥澳巴拜班邦贝比毕波伯博布查达戴丹德登迪蒂丁杜多厄恩菲费芬弗伽盖甘冈戈格哥圭哈赫亨吉贾杰"
    "喀卡凯坎康科克肯库夸拉莱赖兰朗劳勒雷黎里利莉列隆卢鲁伦罗洛马迈麦曼梅蒙孟米缅莫墨默姆穆纳内尼纽努诺"
    "帕潘佩皮普齐奇乔琼萨塞桑瑟森莎什舍施斯索塔泰坦汤特提图托瓦威韦维温沃乌锡谢辛叙雅亚扬耶伊尤约詹扎泽兹"
    "摩慕堡顿尔俄廷来"
)
_FOREIGN = re.compile(f"[{_SPELLING}]{{3,}}")


def in_name(text: str, start: int, end: int) -> bool:
    """Whether the letters ``start`` to ``end`` of ``text`` (a sentence)
    stand inside a name, by this module's rules."""
    return any(a < end and start < b for a, b in name_spans(text))


@functools.lru_cache(maxsize=1024)
def name_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Where names stand in ``text``: (start, end) of each, by this module's rules."""
    spans = [m.span() for pattern in (_BODY, _PERSON, _FOREIGN) for m in pattern.finditer(text)]
    position = 0
    while position < len(text):
        for name in _BY_FIRST.get(text[position], ()):
            if text.startswith(name, position) and _whole(text, position, position + len(name)):
                spans.append((position, position + len(name)))
                position += len(name) - 1
                break
        position += 1
    return tuple(spans)


def _whole(text: str, start: int, end: int) -> bool:
    """A Katakana name is a whole Katakana run; a Korean one starts a word."""
    if _KATAKANA.fullmatch(text[start:end]):
        return not (_KATAKANA.match(text, start - 1) if start else False) and not _KATAKANA.match(text, end)
    if _HANGUL.match(text, start):
        return not (start and _HANGUL.match(text, start - 1))
    return True
