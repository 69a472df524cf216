#!/usr/bin/env python3
"""Fills the standardized tables of an hrss SQLite data dir at county scale,
synthetically and deterministically, for bench/person360 only (the real
collection path is benchmarked separately). The schema must exist
(`hrss migrate` / `hrss demo`); rows are inserted directly, in person order,
so the (person_id, period) indexes grow at their ends.

  gen.py DB [--persons 1100000] [--seed 7]

Scale at the default 1.1M persons (per 1,000 persons):
  jubao only 600 (yearly contributions 2016..2026, some years missing),
  shebao 150 (110 + 310 monthly 2016-11..2026-10, career windows with gaps,
  some months due), both 0 ... about 20M dc_contribution rows in all;
  pensioners 60 (24 recent payments each); 20k units.
"""
import argparse, random, sqlite3, sys, time

W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHK = "10X98765432"
TOWNS = ["511724001", "511724002", "511724003"] + ["5117241%02d" % i for i in range(1, 22)] + \
        ["511724125", "511724126", "511724203", "511724214", "511724218", "511724220", "511724231"]
SUR = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIV = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红玉梅建华建国志强丹晓东海燕鹏辉文斌春梅"


def idno(birth, seq):
    s = "511724" + birth + "%03d" % seq
    return s + CHK[sum(int(c) * w for c, w in zip(s, W)) % 11]


def months(first, last):
    y, m = divmod(first, 100)
    while y * 100 + m <= last:
        yield y * 100 + m
        m += 1
        if m == 13:
            y, m = y + 1, 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("db")
    ap.add_argument("--persons", type=int, default=1_100_000)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    db = sqlite3.connect(a.db, isolation_level=None)
    for p in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-4000000", "temp_store=MEMORY",
              "locking_mode=EXCLUSIVE"):
        db.execute("PRAGMA " + p)
    db.execute("BEGIN")
    now = 1767225600000
    t0 = time.time()
    n_units = max(20, a.persons // 55)
    units = []
    for u in range(1, n_units + 1):
        no = "SB%06d" % u
        units.append(no)
    db.executemany(
        "INSERT INTO dc_unit (id, credit_code, unit_no, name, unit_type, industry, division_code, "
        "source_count, created_at_ms, updated_at_ms) VALUES (?,?,?,?,?,?,?,1,?,?)",
        ((u, "", units[u - 1], "大竹县第%d号企业有限公司" % u, "enterprise", "C",
          TOWNS[u % len(TOWNS)], now, now) for u in range(1, n_units + 1)))
    used = set()
    persons, sources, enrol, contrib, pays = [], [], [], [], []
    counts = dict(person=0, contribution=0, payment=0, enrolment=0)
    LOW = ("INSERT INTO dc_person_source (src_system, src_key, batch_id, row_hash, updated_at_ms, "
           "person_id, id_number, raw_id_number, name, gender, birth_date, division_code) "
           "VALUES (?,?,1,0,?,?,?,?,?,?,?,?)")
    CON = ("INSERT INTO dc_contribution (src_system, src_key, batch_id, row_hash, updated_at_ms, "
           "person_id, id_number, unit_no, insurance_type, period, base_fen, personal_fen, "
           "unit_fen, subsidy_fen, status, domain, division_code) "
           "VALUES (?,?,1,0,?,?,?,?,?,?,?,?,?,?,?,?,?)")
    ENR = ("INSERT INTO dc_enrolment (src_system, src_key, batch_id, row_hash, updated_at_ms, "
           "person_id, id_number, unit_no, insurance_type, status, start_date, domain, "
           "division_code) VALUES (?,?,1,0,?,?,?,?,?,?,?,?,?)")
    PAY = ("INSERT INTO dc_benefit_payment (src_system, src_key, batch_id, row_hash, "
           "updated_at_ms, person_id, id_number, benefit_type, period, amount_fen, status, domain, "
           "division_code) VALUES (?,?,1,0,?,?,?,?,?,?,?,?,?)")
    PER = ("INSERT INTO dc_person (id, id_number, name, gender, birth_date, division_code, "
           "source_count, created_at_ms, updated_at_ms) VALUES (?,?,?,?,?,?,1,?,?)")

    def flush(force=False):
        if force or len(contrib) > 200000:
            db.executemany(PER, persons); persons.clear()
            db.executemany(LOW, sources); sources.clear()
            db.executemany(ENR, enrol); enrol.clear()
            db.executemany(CON, contrib); contrib.clear()
            db.executemany(PAY, pays); pays.clear()

    for pid in range(1, a.persons + 1):
        while True:
            y = rnd.randint(1940, 2005)
            birth = "%04d%02d%02d" % (y, rnd.randint(1, 12), rnd.randint(1, 28))
            idn = idno(birth, rnd.randint(0, 999))
            if idn not in used:
                used.add(idn)
                break
        name = rnd.choice(SUR) + rnd.choice(GIV) + (rnd.choice(GIV) if rnd.random() < 0.6 else "")
        gender = "1" if int(idn[16]) % 2 else "2"
        bd = "%s-%s-%s" % (birth[:4], birth[4:6], birth[6:])
        div = TOWNS[pid % len(TOWNS)]
        persons.append((pid, idn, name, gender, bd, div, now, now))
        r = rnd.random()
        kind = "jubao" if r < 0.60 else "shebao" if r < 0.75 else "jiuye"
        sources.append((kind, "%s%08d" % (kind[:2], pid), now, pid, idn, idn, name, gender, bd, div))
        key = "%08d" % pid
        if kind == "jubao":
            enrol.append(("jubao", key + "/170", now, pid, idn, "", "170", "1", "2016-01-01",
                          "jubao", div))
            counts["enrolment"] += 1
            for yy in range(2016, 2027):
                if rnd.random() < 0.55:
                    contrib.append(("jubao", key + "/170/%d01" % yy, now, pid, idn, "", "170",
                                    yy * 100 + 1, 0, 20000, 0, 3000, "paid", "jubao", div))
            if y < 1965 and rnd.random() < 0.5:
                for per in months(202411, 202610):
                    pays.append(("jubao", key + "/p/%d" % per, now, pid, idn, "pension_resident",
                                 per, 21500, "paid", "jubao", div))
        elif kind == "shebao":
            unit = units[rnd.randrange(len(units))]
            start = rnd.choice([201611, 201701, 201801, 201901, 202001])
            end = rnd.choice([202212, 202406, 202610, 202610])
            base = rnd.randint(350000, 900000)
            for t in ("110", "310"):
                enrol.append(("shebao", key + "/" + t, now, pid, idn, unit, t, "1",
                              "%d-%02d-01" % (start // 100, start % 100), "shebao", div))
                counts["enrolment"] += 1
            gap = (rnd.randint(201801, 202012) // 100) * 100 + rnd.randint(1, 12)
            for per in months(start, end):
                if gap <= per < gap + 3:
                    continue
                status = "due" if rnd.random() < 0.01 else "paid"
                for t, pr, ur in (("110", 8, 16), ("310", 2, 8)):
                    contrib.append(("shebao", "%s/%s/%d" % (key, t, per), now, pid, idn, unit, t,
                                    per, base, base * pr // 100, base * ur // 100, 0, status,
                                    "shebao", div))
            if y < 1962 and rnd.random() < 0.6:
                for per in months(202411, 202610):
                    pays.append(("shebao", key + "/p/%d" % per, now, pid, idn, "pension_employee",
                                 per, 312000, "paid", "shebao", div))
        counts["person"] += 1
        counts["contribution"] += len(contrib) and 0
        n = len(contrib)
        if n > 200000:
            counts["contribution"] += n
            counts["payment"] += len(pays)
            flush(True)
        if pid % 100000 == 0:
            print("  %d persons, %d contributions, %.0f s" % (pid, counts["contribution"],
                                                           time.time() - t0), flush=True)
    counts["contribution"] += len(contrib)
    counts["payment"] += len(pays)
    flush(True)
    db.execute("COMMIT")
    db.execute("ANALYZE")
    print("generated %s in %.0f s" % (counts, time.time() - t0))


if __name__ == "__main__":
    sys.exit(main())
