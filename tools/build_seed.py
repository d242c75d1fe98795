"""Build data/seed.sql from the two source documents.

    python tools/build_seed.py ../shared/seeds > data/seed.sql

Every text in the seed is copied from the documents by this script, never
typed: areas, sections and bullets from the illustrated report summary,
the 44 listed items and their first-quarter progress from the ledger. What
is typed here is the judgement a person has to make (which bullet a listed
item comes from, which numbers are targets, which figure a progress text
states), each with its reason as a SQL comment in the output.

This is a maintainer's tool; qdtrack itself only reads data/seed.sql.
"""

import pathlib
import re
import sys

YEAR = 2025
REPORT = "000_977c2cac0d19ad45.txt"
LEDGER = "002_46f98387e7e7970e.txt"
SEEDED_AT = "2025-03-31T00:00:00+08:00"

AREA0_TITLE = "主要预期目标"

# Listed items (序号) and where they sit.
#   ("same", bullet): the listed item is that report bullet (one task, two IDs)
#   ("part", bullet): the listed item is part of that bullet (its own task)
#   ("none", area, section): no bullet of its own; placed at the end of that section
#   ("head",): a headline target, area 0
PLACES = {
    1: ("head",),
    2: ("head",),
    3: ("same", "1.2.1"),
    4: ("same", "1.2.2"),
    5: ("part", "1.2.7", "the 8 metro lines are one of several projects in bullet 1.2.7"),
    6: ("same", "2.1.1"),
    7: ("same", "2.2.2"),
    8: ("same", "2.2.3"),
    9: ("same", "2.3.1"),
    10: ("same", "2.3.2"),
    11: ("same", "2.4.1"),
    12: ("same", "2.4.3"),
    13: ("same", "3.4.1"),
    14: ("same", "3.4.2", "reworded: 场景应用实验室 in the ledger, 应用场景实验室 in the report"),
    15: ("same", "4.1.1"),
    16: ("same", "4.2.2"),
    17: ("same", "4.3.1", "the ledger adds 推动城市商圈和特色商业街区提档升级 before the bullet's text"),
    18: ("same", "5.1.3"),
    19: ("same", "5.2.1"),
    20: ("none", 5, 3, "no bullet names the 9 port projects; placed under 加快打造国际航运中心"),
    21: ("same", "5.3.2"),
    22: ("same", "6.2.1"),
    23: ("same", "6.8.1"),
    24: ("same", "6.8.3"),
    25: ("none", 7, 1, "no bullet names the 7 special plans; placed under 完善城市规划体系"),
    26: ("same", "7.3.1"),
    27: ("same", "8.1.1", "reworded: the ledger drops 农作物"),
    28: ("same", "8.1.4"),
    29: ("same", "8.1.5"),
    30: ("same", "8.3.1"),
    31: ("part", "8.3.3", "items 31 and 32 split bullet 8.3.3"),
    32: ("part", "8.3.3", "items 31 and 32 split bullet 8.3.3"),
    33: ("same", "9.1.2"),
    34: ("same", "9.2.1"),
    35: ("same", "9.2.2"),
    36: ("same", "9.2.3"),
    37: ("same", "9.3.2"),
    38: ("same", "9.3.3"),
    39: ("same", "10.3.3"),
    40: ("part", "10.3.4", "items 40 and 41 split bullet 10.3.4"),
    41: ("part", "10.3.4", "items 40 and 41 split bullet 10.3.4; reworded: 医务骨干 for 医务人员"),
    42: ("same", "10.4.1"),
    43: ("same", "10.4.4"),
    44: ("same", "10.5.5"),
}

# Bullets whose every numeric target is tracked by their listed parts; listings
# show the parts in their place.
COVERED_BY_PARTS = {"8.3.3", "10.3.4"}

# Numeric targets: (name, target_text, target, unit, comparator, kind[, why]).
# target_text is copied from the task's text; target/unit/comparator are typed
# here and a test checks them against qdtrack's parser of target_text.
M = "cumulative"
L = "level"
R = "rate"
T = "total"
METRICS = {
    1: [("地区生产总值增速", "增长5.5%左右", 5.5, "%", "about", R)],
    2: [("一般公共预算收入增速", "增长3%", 3, "%", "plain", R)],
    3: [
        (
            "省市重点项目开工在建",
            "460个",
            460,
            "个",
            "plain",
            L,
            "the ledger reports projects under way (开工在建), a level that rises towards 460",
        ),
        ("完成投资", "2450亿元以上", 2450, "亿元", "at_least", M),
    ],
    4: [
        ("技改项目", "500个", 500, "个", "plain", L, "滚动开展: projects in the rolling programme at a time, a level"),
        ("技改投资增速", "增长8%以上", 8, "%", "at_least", R),
    ],
    5: [("地铁线路建设", "8条", 8, "条", "plain", L, "lines under construction")],
    6: [("新获批省重点实验室", "15家以上", 15, "家", "at_least", M)],
    7: [("新增企业技术中心和工程研究中心", "20家以上", 20, "家", "at_least", M)],
    8: [("科技型企业", "达到1.5万家", 15000, "家", "reach", L)],
    9: [("产业关键技术攻关", "100项", 100, "项", "plain", M), ("重大应用基础研究", "10项", 10, "项", "plain", M)],
    10: [("“四首”产品", "80项以上", 80, "项", "at_least", M)],
    11: [("市级财政科技创新投入增速", "增长15%以上", 15, "%", "at_least", R)],
    12: [("概念验证平台和中试基地", "30家左右", 30, "家", "about", M)],
    13: [("颠覆性技术研发储备", "10项左右", 10, "项", "about", M)],
    14: [("未来产业场景应用实验室", "20家以上", 20, "家", "at_least", M)],
    15: [("“两业融合”试点企业", "10家以上", 10, "家", "at_least", M)],
    16: [("主题活动", "20场以上", 20, "场", "at_least", M)],
    17: [("一刻钟便民生活圈", "60个", 60, "个", "plain", M)],
    18: [("涉海关键技术攻关", "30项", 30, "项", "plain", M)],
    19: [
        ("海洋重点项目开工在建", "170个", 170, "个", "plain", L, "the ledger reports projects under way (开工在建)"),
        (
            "完成投资",
            "2400亿元",
            2400,
            "亿元",
            "plain",
            T,
            "2400亿元 is the projects' total investment over several years, not the year's: "
            "kind 'total' shows the figure against it without a yearly pace",
        ),
    ],
    20: [("港航工程建设", "9个", 9, "个", "plain", L, "projects under construction")],
    21: [("新开通海运航线", "10条以上", 10, "条", "at_least", M)],
    22: [("民营领军标杆企业", "150家", 150, "家", "plain", M)],
    23: [
        ("都市圈重点项目开工在建", "52个", 52, "个", "plain", L, "the ledger reports projects under way (开工在建)"),
        (
            "完成投资",
            "3274亿元",
            3274,
            "亿元",
            "plain",
            T,
            "3274亿元 is the projects' total investment over several years, not the year's",
        ),
    ],
    24: [("市际县域合作区", "5个", 5, "个", "plain", L)],
    25: [("专项规划", "7个", 7, "个", "plain", M)],
    26: [("背街小巷综合整治", "50条", 50, "条", "plain", M)],
    27: [("自主知识产权关键品种", "10个以上", 10, "个", "at_least", M)],
    28: [("数字农业示范园、智慧农业应用基地", "10家以上", 10, "家", "at_least", M)],
    29: [("名特优新和绿色优质农产品", "50个以上", 50, "个", "at_least", M)],
    30: [("市级乡村振兴片区", "10个", 10, "个", "plain", M), ("省级乡村振兴片区", "4个", 4, "个", "plain", M)],
    31: [("规模化供水村庄", "100个", 100, "个", "plain", M)],
    32: [("村庄生活污水治理", "120个", 120, "个", "plain", M)],
    33: [("污水处理项目开工", "16个", 16, "个", "plain", M)],
    34: [("新能源和可再生能源装机", "达到700万千瓦", 7000000, "千瓦", "reach", L)],
    35: [("省级以上绿色制造企业", "20家", 20, "家", "plain", M)],
    36: [("新增绿色建筑", "1000万平方米", 10000000, "平方米", "plain", M)],
    37: [("水土流失治理", "50平方公里", 50, "平方公里", "plain", M)],
    38: [("森林质量精准提升", "6万亩", 60000, "亩", "plain", M)],
    39: [("市级攀峰学科", "12个", 12, "个", "plain", M), ("重点专科", "75个", 75, "个", "plain", M)],
    40: [("紧密型医联体", "10个", 10, "个", "plain", M)],
    41: [("对口帮扶医务人员", "1000名", 1000, "人", "plain", M)],
    42: [("新增企业职工养老保险参保", "12万人以上", 120000, "人", "at_least", M)],
    43: [("残疾人家庭无障碍改造", "500户以上", 500, "户", "at_least", M)],
    44: [("全民健身活动", "2万场以上", 20000, "场", "at_least", M)],
    "1.2.9": [("新开通5G基站", "3000个", 3000, "个", "plain", M)],
    "2.2.1": [("企业牵头的关键技术攻关项目占比", "达到90%", 90, "%", "reach", L, "a share, not a growth rate")],
    "3.1.4": [("数字经济核心产业增加值占比", "12%以上", 12, "%", "at_least", L, "a share of GDP, not a growth rate")],
    "3.2.4": [("新兴产业规模增速", "增长10%以上", 10, "%", "at_least", R)],
    "4.1.3": [("软件业务收入增速", "增长10%以上", 10, "%", "at_least", R)],
    "4.2.4": [("邮轮出入境游客", "8万人以上", 80000, "人", "at_least", M)],
    "6.3.1": [("“高效办成一件事”重点事项", "100个", 100, "个", "plain", M)],
    "6.6.1": [("新增进出口实绩企业", "1000家以上", 1000, "家", "at_least", M)],
    "7.2.1": [("城中村改造回迁", "10个", 10, "个", "plain", M), ("新改造老旧小区", "53个", 53, "个", "plain", M)],
    "7.2.2": [("非直供电小区改造", "10万户", 100000, "户", "plain", M)],
    "7.2.3": [("城市“微更新”", "60处", 60, "处", "plain", M), ("口袋公园", "50个", 50, "个", "plain", M)],
    "7.2.4": [("燃气、供热、供水管网", "1247公里", 1247, "公里", "plain", M)],
    "7.3.2": [
        ("交通堵点改造", "106处", 106, "处", "plain", M),
        ("新增公共停车泊位", "1万个以上", 10000, "个", "at_least", M),
    ],
    "8.1.3": [("农业大项目", "20个", 20, "个", "plain", L)],
    "8.3.2": [("“四好农村路”养护提升", "600公里", 600, "公里", "plain", M)],
    "8.3.4": [("农房节能改造", "5万户以上", 50000, "户", "at_least", M)],
    "9.1.1": [("大气污染减排项目", "1200个以上", 1200, "个", "at_least", M)],
    "9.2.4": [("新建充电桩", "2.6万个", 26000, "个", "plain", M)],
    "10.1.1": [("城镇新增就业", "35万人以上", 350000, "人", "at_least", M)],
    "10.1.2": [("扶持创业", "3万人以上", 30000, "人", "at_least", M)],
    "10.2.1": [("新建、改扩建中小学和幼儿园", "20所", 20, "所", "plain", M)],
    "10.4.2": [
        ("社区嵌入式失智老年人照护中心", "30处", 30, "处", "plain", M),
        ("适老化改造", "1万户以上", 10000, "户", "at_least", M),
    ],
    "10.4.3": [("新增婴幼儿托位", "4000个以上", 4000, "个", "at_least", M)],
    "10.4.5": [("保障性住房", "1500套", 1500, "套", "plain", M)],
    "10.5.4": [("新建、改扩建体育健身设施", "160处", 160, "处", "plain", M)],
}

# Numbers in bullet texts that are deliberately not targets.
NOT_TARGETS = {
    "1.2.7": "its 8 metro lines are tracked by listed item 5; the tunnels and roads have no figure",
    "3.1.1": "2个产业 names the two industries, it is not a target",
    "3.2.1": "5个产业 names the five industries, it is not a target",
    "3.3.1": "3个产业 names the three industries, it is not a target",
    "5.1.2": "三大国家平台 names the platforms, it is not a target",
    "10.5.3": "第二十届/第十届 number the events",
}

# First-quarter figures the progress text states: listed_no -> [(metric pos, value[, why])].
# Items not here (or metrics not named) get no figure: the text gives none.
Q1 = {
    1: [(1, 5.9)],
    2: [(1, 0.8)],
    3: [(1, 405), (2, 479.9)],
    4: [(1, 418, "滚动推进418个市级技改项目建设"), (2, 7.7, "全市工业技改投资增速为7.7%")],
    5: [(1, 8, "全市在建线路8条")],
    11: [(1, 15, "the 2025 budget 17.77亿元 is 增长15%以上; recorded as 15")],
    19: [(1, 131, "开工在建项目131个"), (2, 85.57, "累计完成投资85.57亿元")],
    20: [(1, 4, "4 continuing projects under construction (续建); the other 5 are in preparation")],
    21: [(1, 4)],
    23: [(1, 35, "开工在建35个"), (2, 56.7, "已完成投资56.7亿元")],
    25: [
        (
            1,
            1,
            "the text names the 7 plans; one, 《青岛市国土空间生态修复规划（2021-2035年）》, "
            "3月19日已印发实施; the others are still being revised or approved",
        )
    ],
    26: [(1, 27, "27条背街小巷已开工: started counts as being carried out (实施); the text states no completions")],
    31: [(1, 1, "西海岸新区已有1个村庄接入规模化供水")],
    33: [(1, 9, "16个项目已开工9个")],
    36: [(1, 2781700, "278.17万平方米")],
    41: [(1, 1019, "已组织...团队1019人")],
    42: [(1, 32000, "3.2万人")],
    43: [(1, 68, "开工68户 (完工2户): started counts as being carried out (实施), as for item 26")],
    44: [(1, 3805, "738场次 at city level and above + 3067场次 at district level and below")],
}

# Listed items whose text has figures that are not progress towards the metric.
NO_FIGURE_WHY = {
    9: "组织实施140项项目 counts projects in several industrial fields whose plans were issued (已下达计划); "
    "as for item 18, issued plans are not yet a count of the 100 key-technology projects carried out",
    6: "目前已谋划10余家单位 are candidates, not approvals",
    10: "93项/73项/20项 are collected candidates, not 四首 products",
    16: "three events are named followed by 等; no count",
    18: "the 30 projects are approved and planned; contracts are being signed, none under way",
    27: "12个新品种 are applied for approval (申请审定和登记), not yet approved",
    29: "3家企业 submitted for review; no product certified",
    30: "88.06% is the build completion rate of the 10 city-level zones; "
    "5 zones are proposed for provincial status: neither is a count of zones done",
    32: "已确定120个村庄名单 is the list, not villages treated",
    34: "213.522万千瓦 is the rooftop PV pilots' grid capacity, not the city's total installed capacity",
    39: "the 12 disciplines and 75 specialties' task books are under review; not yet started",
}


def q(s):
    if s is None:
        return "NULL"
    if isinstance(s, (int, float)):
        return repr(s)
    return "'" + str(s).replace("'", "''") + "'"


def comment(why):
    return f"  -- {why}" if why else ""


def read_report(path):
    areas, sections, bullets = [], [], []  # (no,title) (area,no,title) (area,sec,no,text)
    front = []
    area = sec = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        assert line == line.strip(), repr(line)
        m = re.fullmatch(r"(\d+) (.+聚力攻坚求实效)", line)
        if m:
            area, sec = int(m.group(1)), 0
            areas.append((area, m.group(2)))
        elif line.startswith("- "):
            n = sum(1 for b in bullets if b[0] == area and b[1] == sec) + 1
            bullets.append((area, sec, n, line[2:]))
        elif area is None:
            front.append(line)
        elif line == str(YEAR):
            continue  # a page artifact inside area 5 (see shared/seeds/README.md)
        else:
            sec += 1
            sections.append((area, sec, line))
    return front, areas, sections, bullets


def read_ledger(path):
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    title = lines[0]
    headings = [ln.strip() for ln in lines[1:4]]
    assert headings == ["序号", "事项内容", "进展情况"], headings
    items, cur = {}, None
    for ln in lines[4:]:
        s = ln.strip()
        if re.fullmatch(r"- \d+ -", s):
            continue  # page numbers
        if ln.startswith("\t") and re.fullmatch(r"\d+", s):
            cur = int(s)
            items[cur] = []
        else:
            items[cur].append(s)
    return title, headings, {n: (v[0], "\n".join(v[1:])) for n, v in items.items()}


def main(seeds):
    front, areas, sections, bullets = read_report(seeds / REPORT)
    ltitle, headings, items = read_ledger(seeds / LEDGER)
    assert len(areas) == 10 and len(sections) == 40 and len(bullets) == 162
    assert sorted(items) == list(range(1, 45))
    out = []
    w = out.append
    w("-- qdtrack seed: Qingdao's 2025 government work report (政府工作报告图解, 青岛日报 2025-02-09)")
    w("-- and its publicly listed items with their first-quarter progress (公开挂牌事项1季度进展情况台账).")
    w("-- Generated by tools/build_seed.py from ../shared/seeds; every text is copied verbatim.")
    w("-- Judgements (which bullet an item comes from, which numbers are targets, which figure")
    w("-- a progress text states) carry their reason in a comment beside the row.")
    w("")
    w("INSERT INTO years (year, title) VALUES")
    w(f"  ({YEAR}, {q('2025年青岛市政府工作报告')});")
    w("")
    w("INSERT INTO documents (id, year, title, published, front_matter) VALUES")
    w(f"  ({q(REPORT[:-4])}, {YEAR}, {q(front[1])}, '2025-02-09', {q(chr(10).join(front))}),")
    w(f"  ({q(LEDGER[:-4])}, {YEAR}, {q(ltitle)}, NULL, {q(chr(10).join([ltitle] + headings))});")
    w("")
    w("INSERT INTO areas (year, no, title) VALUES")
    w(
        f"  ({YEAR}, 0, {q(AREA0_TITLE)}),  -- not in the documents: holds listed items 1-2, "
        "the headline targets (GDP, budget revenue) of the full report; the illustrated summary does not list them"
    )
    w(",\n".join(f"  ({YEAR}, {no}, {q(t)})" for no, t in areas) + ";")
    w("")
    sec_id = {}
    w("INSERT INTO sections (id, year, area_no, no, title) VALUES")
    rows = []
    for i, (a, s, t) in enumerate(sections, 1):
        sec_id[(a, s)] = i
        rows.append(f"  ({i}, {YEAR}, {a}, {s}, {q(t)})")
    w(",\n".join(rows) + ";")
    w("")

    # tasks in report order
    by_bullet = {}
    for no, place in PLACES.items():
        if place[0] in ("same", "part"):
            by_bullet.setdefault(place[1], []).append(no)
    tasks = []  # dicts

    def add(**kw):
        kw["seq"] = len(tasks) + 1
        tasks.append(kw)
        return kw

    for no in (1, 2):
        add(area=0, section=None, bullet=None, listed=no, why=None)
    for area, _ in areas:
        for a, s, _t in [x for x in sections if x[0] == area]:
            for ba, bs, bn, text in bullets:
                if (ba, bs) != (a, s):
                    continue
                ref = f"{a}.{s}.{bn}"
                linked = by_bullet.get(ref, [])
                same = [n for n in linked if PLACES[n][0] == "same"]
                parts = [n for n in linked if PLACES[n][0] == "part"]
                assert len(same) <= 1 and not (same and parts)
                parent = add(
                    area=a,
                    section=(a, s),
                    bullet=ref,
                    text=text,
                    listed=same[0] if same else None,
                    why=PLACES[same[0]][2] if same and len(PLACES[same[0]]) > 2 else None,
                )
                parent["covered"] = ref in COVERED_BY_PARTS
                for n in parts:
                    add(area=a, section=(a, s), bullet=None, listed=n, parent=parent, why=PLACES[n][2])
            for n, place in PLACES.items():
                if place[0] == "none" and (place[1], place[2]) == (a, s):
                    add(area=a, section=(a, s), bullet=None, listed=n, why=place[3])
    assert sorted(t["listed"] for t in tasks if t.get("listed")) == list(range(1, 45))

    w(
        "INSERT INTO tasks (id, year, area_no, section_id, seq, bullet, listed_no, text, listed_text, "
        "parent_id, covered_by_parts) VALUES"
    )
    rows = []
    for t in tasks:
        why = t.get("why") or NOT_TARGETS.get(t.get("bullet"))
        if t.get("covered"):
            why = "every target is tracked by its listed parts"
        n = t.get("listed")
        rows.append(
            f"  ({t['seq']}, {YEAR}, {t['area']}, {q(sec_id[t['section']] if t['section'] else None)}, "
            f"{t['seq']}, {q(t.get('bullet'))}, {q(n)}, {q(t.get('text'))}, "
            f"{q(items[n][0] if n else None)}, {q(t['parent']['seq'] if t.get('parent') else None)}, "
            f"{1 if t.get('covered') else 0}){{sep}}{comment(why)}"
        )
    w("\n".join(r.replace("{sep}", ",") for r in rows[:-1]))
    w(rows[-1].replace("{sep}", ";"))
    w("")

    key = {}
    for t in tasks:
        if t.get("listed"):
            key[t["listed"]] = t
        if t.get("bullet"):
            key[t["bullet"]] = t
    w("INSERT INTO metrics (id, task_id, pos, name, target, unit, comparator, kind, target_text) VALUES")
    rows, metric_id = [], {}
    for ref in sorted(METRICS, key=lambda r: key[r]["seq"]):
        t = key[ref]
        texts = [t.get("text") or "", items[t["listed"]][0] if t.get("listed") else ""]
        for pos, (name, ttext, target, unit, comp, kind, *why) in enumerate(METRICS[ref], 1):
            assert any(ttext in x for x in texts), (ref, ttext)
            mid = len(rows) + 1
            metric_id[(t["seq"], pos)] = mid
            rows.append(
                f"  ({mid}, {t['seq']}, {pos}, {q(name)}, {q(target)}, {q(unit)}, {q(comp)}, "
                f"{q(kind)}, {q(ttext)}){{sep}}{comment(why[0] if why else None)}"
            )
    w("\n".join(r.replace("{sep}", ",") for r in rows[:-1]))
    w(rows[-1].replace("{sep}", ";"))
    w("")

    w("-- The first-quarter ledger: one note row per listed item (进展情况, verbatim),")
    w("-- and one row per figure its text states. The ledger gives no date: the quarter's end is used.")
    w("INSERT INTO updates (task_id, metric_id, quarter, value, note, recorded_at, recorded_by, source) VALUES")
    rows = []
    src = q(f"seed: {LEDGER}")
    for n in range(1, 45):
        t = key[n]
        rows.append(
            f"  ({t['seq']}, NULL, '{YEAR}Q1', NULL, {q(items[n][1])}, '{SEEDED_AT}', 'seed', {src})"
            f"{{sep}}{comment(f'item {n}: ' + NO_FIGURE_WHY[n] if n in NO_FIGURE_WHY else None)}"
        )
        for pos, value, *why in Q1.get(n, []):
            rows.append(
                f"  ({t['seq']}, {metric_id[(t['seq'], pos)]}, '{YEAR}Q1', {q(value)}, NULL, "
                f"'{SEEDED_AT}', 'seed', {src}){{sep}}{comment(why[0] if why else None)}"
            )
    w("\n".join(r.replace("{sep}", ",") for r in rows[:-1]))
    w(rows[-1].replace("{sep}", ";"))
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main(pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/seeds"))
