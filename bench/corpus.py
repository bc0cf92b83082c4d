"""A synthetic corpus of scraped Korean regional-policy articles, for benchmarks.

Articles are assembled from templates with real place names from the
gazetteer, industry words, budgets split into 국비/지방비/민자, periods, and
the page furniture real scraped pages carry (menus, bylines, copyright lines,
appended headline lists). Deterministic for a given seed.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from etl.gazetteer import load_gazetteer

INDUSTRIES = {
    "이차전지": ["이차전지 소재", "양극재", "배터리 재활용"],
    "반도체": ["반도체 소부장", "전력반도체", "반도체 패키징"],
    "바이오": ["바이오의약품", "의료기기", "디지털 헬스케어"],
    "수소": ["그린수소", "액화수소", "수소 연료전지"],
    "미래차": ["전기차 부품", "자율주행", "미래차 전장부품"],
    "에너지": ["해상풍력", "태양광", "에너지저장장치(ESS)"],
    "항공우주": ["위성 부품", "항공정비(MRO)", "도심항공교통(UAM)"],
    "로봇": ["협동로봇", "물류로봇", "로봇 부품"],
    "디지털·AI": ["인공지능(AI)", "데이터센터", "클라우드"],
    "농식품": ["푸드테크", "스마트팜", "기능성 식품"],
    "관광문화": ["해양관광", "체류형 관광", "문화콘텐츠"],
    "조선해양": ["친환경 선박", "조선 기자재", "해양플랜트"],
}
KINDS = ["특화단지", "국가산업단지", "혁신클러스터", "규제자유특구", "기회발전특구", "실증센터", "혁신지구"]
OUTLETS = ["한빛경제", "지역일보", "산업뉴스", "경제타임즈", "남도신문", "충청로컬"]
REPORTERS = ["김민수", "이서윤", "박지훈", "최다은", "정하늘", "한정우"]
BACKGROUND = [
    "{city}는 그동안 {industry} 분야 중소기업의 판로 개척과 기술 개발을 지원해 왔다. 지역 대학과 연구기관이 보유한 장비를 기업에 개방하고, 시제품 제작과 인증 비용을 덜어 주는 사업도 함께 운영하고 있다.",
    "지역 업계는 이번 사업이 인력난 해소에도 도움이 될 것으로 기대하고 있다. 한 기업 대표는 \"숙련 인력을 구하기 어려워 수도권 이전까지 고민했는데, 공동 교육시설이 생기면 지역에서 인력을 키울 수 있을 것\"이라고 말했다.",
    "다만 사업 부지 주변의 교통 여건과 용수 공급 문제는 과제로 남아 있다. 시는 진입도로 확장과 공업용수 관로 설치를 관계 기관과 협의하고 있으며, 필요하면 추가경정예산에 관련 예산을 반영할 방침이다.",
    "앞서 시는 지난해 전문가 자문단을 꾸려 입지와 사업 내용을 검토했다. 자문단은 기업 수요 조사 결과를 토대로 공동 장비 구축과 기업 지원 프로그램을 우선 추진해야 한다고 제안했다.",
    "시의회도 사업 추진에 힘을 보태기로 했다. 시의회 산업경제위원회는 관련 조례 개정안을 다음 회기에 처리하고, 사업 진행 상황을 분기마다 점검하겠다고 밝혔다.",
    "정부도 지역 거점 육성을 위한 지원을 확대하고 있다. 관계 부처는 올해 하반기 지역 산업 육성 전략을 발표하고 특화 산업별 맞춤형 지원 방안을 내놓을 예정이다.",
]
FURNITURE_TOP = ["전체기사 | 정치 | 경제 | 사회 | 지역", "HOME > 지역 > 경제", "  • 공유하기\n  • 글자크기 -\n  • 인쇄"]
APPENDED = [
    "최신뉴스\n{a}, 야간 관광 활성화에 30억 투입\n[{o}] {a}가 도심 야간 경관을 개선하기 위해 30억원을 들여 조명 시설과 미디어아트 설치에 나선다. 시는 상반기 중 설계를 마치고 하반기 공사에 들어간다.\n{b} 시의회, 예산안 심사 돌입\n[{o}] {b} 시의회가 내년도 본예산안 심사에 들어갔다. 의회는 상임위원회별로 예비 심사를 진행한 뒤 다음 달 본회의에서 예산안을 확정할 예정이다.\n{c} 교육청, 미래교육 포럼 개최",
    "많이 본 기사\n1 \"산업용 전기료 감면 연장해야\" 건의 잇따라\n2 {a} 도심 공원 조성 착공\n3 {b} 전통시장 주차장 확충\n\n관련기사\n{c}, 청년 창업 지원센터 개소…입주 기업 20곳 모집\n[{o}] {c}가 청년 창업가를 위한 지원센터를 열고 입주 기업을 모집한다. 센터에는 공유 사무실과 회의실, 시제품 제작실이 들어섰으며 입주 기업에는 최대 2년간 사무 공간과 경영 컨설팅이 제공된다. 시 관계자는 \"청년들이 지역에서 창업하고 정착할 수 있도록 돕겠다\"고 말했다.",
    "[{o} 베스트 기사]\n{a} 신청사 건립 설계 변경…착공 연기 [{a}={o}] {a} 신청사 건립 사업이 설계 변경으로 다시 미뤄졌다. 사업비는 4,500억원 규모다. 시는 공사비 상승으로 설계를 일부 고치기로 했으며, 연말 착공을 목표로 행정 절차를 서두르고 있다. 2025-05-02 11:20\n{b} 날씨 맑고 일교차 커…오후 한때 소나기 [{b}={o}] 오늘은 대체로 맑겠으나 오후 한때 내륙을 중심으로 소나기가 내리겠다. 아침 최저기온은 12~16도, 낮 최고기온은 24~28도로 일교차가 크겠다. 2025-05-02 06:00",
]


@dataclass(frozen=True)
class Place:
    sido_short: str
    city: str
    city_short: str


def _places() -> list[Place]:
    gaz = load_gazetteer()
    shorts = {"서울특별시": "서울", "부산광역시": "부산", "대구광역시": "대구", "인천광역시": "인천", "광주광역시": "광주",
              "대전광역시": "대전", "울산광역시": "울산", "세종특별자치시": "세종", "경기도": "경기", "강원특별자치도": "강원",
              "충청북도": "충북", "충청남도": "충남", "전북특별자치도": "전북", "전라남도": "전남", "경상북도": "경북",
              "경상남도": "경남", "제주특별자치도": "제주"}
    out = []
    for r in gaz.regions.values():
        if r.level == "sigungu" and r.valid_to is None and r.sigungu.endswith(("시", "군")):
            out.append(Place(shorts[r.sido], r.sigungu, r.sigungu[:-1] if len(r.sigungu) > 2 else r.sigungu))
    return sorted(out, key=lambda p: p.city)


def josa(word: str, with_coda: str, without: str) -> str:
    """word + the particle form its last syllable takes (구미시가, 영양군이)."""
    last = word[-1]
    coda = "가" <= last <= "힣" and (ord(last) - 0xAC00) % 28 != 0
    return word + (with_coda if coda else without)


def _won(rng: random.Random, low: int, high: int) -> int:
    """A budget in 억원, rounded the way press releases round."""
    value = int(10 ** rng.uniform(low, high))
    return max(10, round(value, -1 if value < 1000 else -2))


def _fmt(eok: int) -> str:
    jo, rest = divmod(eok, 10000)
    if jo and rest:
        return f"{jo}조 {rest:,}억원"
    if jo:
        return f"{jo}조원"
    return f"{rest:,}억원"


def article(rng: random.Random, places: list[Place], n: int) -> str:
    place = rng.choice(places)
    other = rng.choice(places)
    industry = rng.choice(list(INDUSTRIES))
    topic = rng.choice(INDUSTRIES[industry])
    kind = rng.choice(KINDS)
    name = f"{place.city_short} {topic} {kind}"
    total = _won(rng, 1.5, 4.3)
    national = round(total * rng.uniform(0.4, 0.6))
    local = total - national
    start = rng.randint(2024, 2027)
    end = start + rng.randint(2, 6)
    year, month, day = start - 1, rng.randint(1, 12), rng.randint(1, 28)
    invest = _won(rng, 2.5, 4.5)
    jobs = rng.randint(50, 3000)
    outlet, reporter = rng.choice(OUTLETS), rng.choice(REPORTERS)
    body = [
        f"[{place.city_short}={outlet}] {reporter} 기자 = {place.sido_short} {josa(place.city, '이', '가')} '{name} 조성사업'에 본격 착수한다.",
        f"{josa(place.city, '은', '는')} {year + 1}년부터 {end}년까지 총사업비 {_fmt(total)}을 투입한다고 {day}일 밝혔다. "
        f"재원은 국비 {_fmt(national)}, 지방비 {_fmt(local)}으로 마련한다.",
        f"이 사업은 {topic} 기업을 위한 부지와 공동 연구시설, 기업 지원센터를 갖추는 것이 핵심이다. "
        f"시는 {end}년까지 기반시설을 마무리하고 기업 유치에 나설 계획이다.",
        f"이날 시청에서는 {topic} 전문기업과 {_fmt(invest)} 규모의 투자협약도 체결했다. 회사는 신규 인력 {jobs}명을 채용하기로 했다.",
        f"{josa(place.city, '은', '는')} 인근 {josa(other.city, '과', '와')} 함께 {industry} 산업 벨트를 만든다는 구상이다. "
        f"업계에 따르면 국내 {industry} 시장 규모는 올해 {_won(rng, 4, 5.5) // 10000 + 1}조원에 이를 전망이다.",
        f"시 관계자는 \"{name}가 지역 산업의 새 성장동력이 될 것\"이라며 \"차질 없이 추진하겠다\"고 말했다.",
    ]
    extra = rng.sample(BACKGROUND, rng.randint(3, 6))
    body[5:5] = [b.format(city=place.city, industry=industry) for b in extra]
    rng.shuffle(body[2:5])
    a, b, c = (rng.choice(places).city for _ in range(3))
    parts = [
        rng.choice(FURNITURE_TOP),
        f"{place.city_short}, {topic} {kind}에 {_fmt(total).replace('원', '')} 투입…{end}년 완공 목표",
        f"{reporter} 기자 / 기사승인 : {year}-{month:02d}-{day:02d} {rng.randint(8, 19):02d}:{rng.randint(0, 59):02d}",
        "\n\n".join(body),
        f"{reporter} 기자 news{n}@{outlet}.example",
        f"<저작권자 © {outlet}, 무단전재 및 재배포 금지>",
        rng.choice(APPENDED).format(a=a, b=b, c=c, o=outlet),
    ]
    return "\n\n".join(parts) + "\n"


def write_corpus(directory: Path, count: int, seed: int = 7) -> list[Path]:
    """Write `count` articles as UTF-8 text files; returns their paths."""
    rng = random.Random(seed)
    places = _places()
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = directory / f"synthetic_{n:05d}.txt"
        path.write_text(article(rng, places, n), encoding="utf-8")
        paths.append(path)
    return paths
