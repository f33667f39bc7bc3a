"""Leidt de referentie-seeds af uit de CBS-bestanden in ../shared/referentie (ontwikkelgereedschap).

Gebruik: uv run python dbt_project/scripts/maak_referentie_seeds.py [pad/naar/referentie]
De uitkomst (dbt_project/seeds/ref_*.csv) wordt in git bewaard; Basismonitor leest de CBS-bestanden
nooit tijdens het draaien. Bron: CBS (CC BY 4.0).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

# Herindelingen 2016-2025 met de officiële ingangsdatum (Staatsblad/CBS "Gemeentelijke indelingen").
# (oude code, nieuwe code, datum, aandeel van de inwoners van de oude gemeente dat naar de nieuwe ging).
# Samenvoegingen: het hele grondgebied gaat over (aandeel 1). Splitsingen: zie AANDEEL_BRON.
HERINDELINGEN = [
    # 2016
    ("GM0381", "GM1942", "2016-01-01", 1.0),  # Bussum -> Gooise Meren
    ("GM0424", "GM1942", "2016-01-01", 1.0),  # Muiden -> Gooise Meren
    ("GM0425", "GM1942", "2016-01-01", 1.0),  # Naarden -> Gooise Meren
    ("GM0478", "GM0385", "2016-01-01", 1.0),  # Zeevang -> Edam-Volendam
    # 2017
    ("GM0844", "GM1948", "2017-01-01", 1.0),  # Schijndel -> Meierijstad
    ("GM0846", "GM1948", "2017-01-01", 1.0),  # Sint-Oedenrode -> Meierijstad
    ("GM0860", "GM1948", "2017-01-01", 1.0),  # Veghel -> Meierijstad
    # 2018
    ("GM0081", "GM0080", "2018-01-01", 1.0),  # Leeuwarderadeel -> Leeuwarden
    ("GM0140", "GM0080", "2018-01-01", 0.321),  # Littenseradiel (10 dorpen) -> Leeuwarden
    ("GM0140", "GM1900", "2018-01-01", 0.501),  # Littenseradiel (15 dorpen) -> Súdwest-Fryslân
    ("GM0140", "GM1949", "2018-01-01", 0.178),  # Littenseradiel (4 dorpen) -> Waadhoeke
    ("GM0070", "GM1949", "2018-01-01", 1.0),  # Franekeradeel -> Waadhoeke
    ("GM0063", "GM1949", "2018-01-01", 1.0),  # het Bildt -> Waadhoeke
    ("GM1908", "GM1949", "2018-01-01", 1.0),  # Menameradiel -> Waadhoeke
    ("GM0018", "GM1952", "2018-01-01", 1.0),  # Hoogezand-Sappemeer -> Midden-Groningen
    ("GM1987", "GM1952", "2018-01-01", 1.0),  # Menterwolde -> Midden-Groningen
    ("GM0040", "GM1952", "2018-01-01", 1.0),  # Slochteren -> Midden-Groningen
    ("GM0007", "GM1950", "2018-01-01", 1.0),  # Bellingwedde -> Westerwolde
    ("GM0048", "GM1950", "2018-01-01", 1.0),  # Vlagtwedde -> Westerwolde
    ("GM0196", "GM0299", "2018-01-01", 1.0),  # Rijnwaarden -> Zevenaar
    # 2019
    ("GM0017", "GM0014", "2019-01-01", 1.0),  # Haren -> Groningen
    ("GM0009", "GM0014", "2019-01-01", 1.0),  # Ten Boer -> Groningen
    ("GM0005", "GM1966", "2019-01-01", 1.0),  # Bedum -> Het Hogeland
    ("GM1663", "GM1966", "2019-01-01", 1.0),  # De Marne -> Het Hogeland
    ("GM1651", "GM1966", "2019-01-01", 1.0),  # Eemsmond -> Het Hogeland
    ("GM0053", "GM1966", "2019-01-01", 0.883),  # Winsum (zonder Middag) -> Het Hogeland
    ("GM0053", "GM1969", "2019-01-01", 0.117),  # Winsum (Ezinge, Feerwerd, Garnwerd) -> Westerkwartier
    ("GM0015", "GM1969", "2019-01-01", 1.0),  # Grootegast -> Westerkwartier
    ("GM0022", "GM1969", "2019-01-01", 1.0),  # Leek -> Westerkwartier
    ("GM0025", "GM1969", "2019-01-01", 1.0),  # Marum -> Westerkwartier
    ("GM0056", "GM1969", "2019-01-01", 1.0),  # Zuidhorn -> Westerkwartier
    ("GM0058", "GM1970", "2019-01-01", 1.0),  # Dongeradeel -> Noardeast-Fryslân
    ("GM1722", "GM1970", "2019-01-01", 1.0),  # Ferwerderadiel -> Noardeast-Fryslân
    ("GM0079", "GM1970", "2019-01-01", 1.0),  # Kollumerland en Nieuwkruisland -> Noardeast-Fryslân
    ("GM0585", "GM1963", "2019-01-01", 1.0),  # Binnenmaas -> Hoeksche Waard
    ("GM0611", "GM1963", "2019-01-01", 1.0),  # Cromstrijen -> Hoeksche Waard
    ("GM0588", "GM1963", "2019-01-01", 1.0),  # Korendijk -> Hoeksche Waard
    ("GM0584", "GM1963", "2019-01-01", 1.0),  # Oud-Beijerland -> Hoeksche Waard
    ("GM0617", "GM1963", "2019-01-01", 1.0),  # Strijen -> Hoeksche Waard
    ("GM0689", "GM1978", "2019-01-01", 1.0),  # Giessenlanden -> Molenlanden
    ("GM1927", "GM1978", "2019-01-01", 1.0),  # Molenwaard -> Molenlanden
    ("GM0545", "GM1961", "2019-01-01", 1.0),  # Leerdam -> Vijfheerenlanden
    ("GM0707", "GM1961", "2019-01-01", 1.0),  # Zederik -> Vijfheerenlanden
    ("GM0620", "GM1961", "2019-01-01", 1.0),  # Vianen -> Vijfheerenlanden
    ("GM0236", "GM1960", "2019-01-01", 1.0),  # Geldermalsen -> West Betuwe
    ("GM0733", "GM1960", "2019-01-01", 1.0),  # Lingewaal -> West Betuwe
    ("GM0304", "GM1960", "2019-01-01", 1.0),  # Neerijnen -> West Betuwe
    ("GM0738", "GM1959", "2019-01-01", 1.0),  # Aalburg -> Altena
    ("GM0870", "GM1959", "2019-01-01", 1.0),  # Werkendam -> Altena
    ("GM0874", "GM1959", "2019-01-01", 1.0),  # Woudrichem -> Altena
    ("GM0951", "GM1954", "2019-01-01", 1.0),  # Nuth -> Beekdaelen
    ("GM0881", "GM1954", "2019-01-01", 1.0),  # Onderbanken -> Beekdaelen
    ("GM0962", "GM1954", "2019-01-01", 1.0),  # Schinnen -> Beekdaelen
    ("GM0393", "GM0394", "2019-01-01", 1.0),  # Haarlemmerliede en Spaarnwoude -> Haarlemmermeer
    ("GM0576", "GM0575", "2019-01-01", 1.0),  # Noordwijkerhout -> Noordwijk
    # 2021
    ("GM0003", "GM1979", "2021-01-01", 1.0),  # Appingedam -> Eemsdelta
    ("GM0010", "GM1979", "2021-01-01", 1.0),  # Delfzijl -> Eemsdelta
    ("GM0024", "GM1979", "2021-01-01", 1.0),  # Loppersum -> Eemsdelta
    ("GM0788", "GM0824", "2021-01-01", 0.406),  # Haaren (dorp Haaren) -> Oisterwijk
    ("GM0788", "GM0865", "2021-01-01", 0.337),  # Haaren (Helvoirt) -> Vught
    ("GM0788", "GM0757", "2021-01-01", 0.158),  # Haaren (Esch) -> Boxtel
    ("GM0788", "GM0855", "2021-01-01", 0.099),  # Haaren (Biezenmortel) -> Tilburg
    # 2022 (uit de jaarlijsten 2021 en 2022)
    ("GM0370", "GM0439", "2022-01-01", 1.0),  # Beemster -> Purmerend
    ("GM0756", "GM1982", "2022-01-01", 1.0),  # Boxmeer -> Land van Cuijk
    ("GM1684", "GM1982", "2022-01-01", 1.0),  # Cuijk -> Land van Cuijk
    ("GM0786", "GM1982", "2022-01-01", 1.0),  # Grave -> Land van Cuijk
    ("GM0815", "GM1982", "2022-01-01", 1.0),  # Mill en Sint Hubert -> Land van Cuijk
    ("GM1702", "GM1982", "2022-01-01", 1.0),  # Sint Anthonis -> Land van Cuijk
    ("GM0398", "GM1980", "2022-01-01", 1.0),  # Heerhugowaard -> Dijk en Waard
    ("GM0416", "GM1980", "2022-01-01", 1.0),  # Langedijk -> Dijk en Waard
    ("GM1685", "GM1991", "2022-01-01", 1.0),  # Landerd -> Maashorst
    ("GM0856", "GM1991", "2022-01-01", 1.0),  # Uden -> Maashorst
    ("GM0457", "GM0363", "2022-03-24", 1.0),  # Weesp -> Amsterdam
    # 2023 (uit de jaarlijsten 2022 en 2023); 2024 en 2025 geen herindelingen
    ("GM0501", "GM1992", "2023-01-01", 1.0),  # Brielle -> Voorne aan Zee
    ("GM0530", "GM1992", "2023-01-01", 1.0),  # Hellevoetsluis -> Voorne aan Zee
    ("GM0614", "GM1992", "2023-01-01", 1.0),  # Westvoorne -> Voorne aan Zee
]

# Herkomst van de aandelen bij splitsingen (inwoners van de delen vlak vóór de splitsing).
AANDEEL_BRON = {
    "GM0140": "inwonertallen per dorp (afgerond, samen 10.910; CBS-gemeentetotaal 2017: 10.878): naar Leeuwarden "
    "3.505 (Baard, Bears, Easterlittens, Hilaard, Húns, Jellum, Jorwert, Leons, Mantgum, Weidum), naar Waadhoeke "
    "1.940 (Baaium, Spannum, Winsum, Wjelsryp), de overige 15 dorpen 5.465 naar Súdwest-Fryslân",
    "GM0053": "1.581 inwoners van Ezinge, Feerwerd en Garnwerd (raadsvoorstel Winsum, dec. 2016) van 13.557 "
    "(30-9-2018) naar Westerkwartier; de rest naar Het Hogeland",
    "GM0788": "Biezenmortel 1.430 van 14.493 (prognose 2020 in het herindelingsontwerp); de andere dorpen "
    "benaderd met afgeronde dorpsinwonertallen (Haaren ca. 5.900, Helvoirt ca. 4.900, Esch ca. 2.300)",
}

# Gemeenten die vóór 2021 zijn opgeheven: naam en provincie (voor de jaarlijsten 2016-2020).
OPGEHEVEN = {
    "GM0381": ("Bussum", "Noord-Holland"),
    "GM0424": ("Muiden", "Noord-Holland"),
    "GM0425": ("Naarden", "Noord-Holland"),
    "GM0478": ("Zeevang", "Noord-Holland"),
    "GM0844": ("Schijndel", "Noord-Brabant"),
    "GM0846": ("Sint-Oedenrode", "Noord-Brabant"),
    "GM0860": ("Veghel", "Noord-Brabant"),
    "GM0081": ("Leeuwarderadeel", "Fryslân"),
    "GM0140": ("Littenseradiel", "Fryslân"),
    "GM0070": ("Franekeradeel", "Fryslân"),
    "GM0063": ("het Bildt", "Fryslân"),
    "GM1908": ("Menameradiel", "Fryslân"),
    "GM0018": ("Hoogezand-Sappemeer", "Groningen"),
    "GM1987": ("Menterwolde", "Groningen"),
    "GM0040": ("Slochteren", "Groningen"),
    "GM0007": ("Bellingwedde", "Groningen"),
    "GM0048": ("Vlagtwedde", "Groningen"),
    "GM0196": ("Rijnwaarden", "Gelderland"),
    "GM0017": ("Haren", "Groningen"),
    "GM0009": ("Ten Boer", "Groningen"),
    "GM0005": ("Bedum", "Groningen"),
    "GM1663": ("De Marne", "Groningen"),
    "GM1651": ("Eemsmond", "Groningen"),
    "GM0053": ("Winsum", "Groningen"),
    "GM0015": ("Grootegast", "Groningen"),
    "GM0022": ("Leek", "Groningen"),
    "GM0025": ("Marum", "Groningen"),
    "GM0056": ("Zuidhorn", "Groningen"),
    "GM0058": ("Dongeradeel", "Fryslân"),
    "GM1722": ("Ferwerderadiel", "Fryslân"),
    "GM0079": ("Kollumerland en Nieuwkruisland", "Fryslân"),
    "GM0585": ("Binnenmaas", "Zuid-Holland"),
    "GM0611": ("Cromstrijen", "Zuid-Holland"),
    "GM0588": ("Korendijk", "Zuid-Holland"),
    "GM0584": ("Oud-Beijerland", "Zuid-Holland"),
    "GM0617": ("Strijen", "Zuid-Holland"),
    "GM0689": ("Giessenlanden", "Zuid-Holland"),
    "GM1927": ("Molenwaard", "Zuid-Holland"),
    "GM0545": ("Leerdam", "Zuid-Holland"),
    "GM0707": ("Zederik", "Zuid-Holland"),
    "GM0620": ("Vianen", "Utrecht"),
    "GM0236": ("Geldermalsen", "Gelderland"),
    "GM0733": ("Lingewaal", "Gelderland"),
    "GM0304": ("Neerijnen", "Gelderland"),
    "GM0738": ("Aalburg", "Noord-Brabant"),
    "GM0870": ("Werkendam", "Noord-Brabant"),
    "GM0874": ("Woudrichem", "Noord-Brabant"),
    "GM0951": ("Nuth", "Limburg"),
    "GM0881": ("Onderbanken", "Limburg"),
    "GM0962": ("Schinnen", "Limburg"),
    "GM0393": ("Haarlemmerliede en Spaarnwoude", "Noord-Holland"),
    "GM0576": ("Noordwijkerhout", "Zuid-Holland"),
    "GM0003": ("Appingedam", "Groningen"),
    "GM0010": ("Delfzijl", "Groningen"),
    "GM0024": ("Loppersum", "Groningen"),
    "GM0788": ("Haaren", "Noord-Brabant"),
}
# Aantal gemeenten op 1 januari volgens CBS; de gereconstrueerde lijsten moeten daarop uitkomen.
AANTAL_GEMEENTEN = {2016: 390, 2017: 388, 2018: 380, 2019: 355, 2020: 355, 2021: 352}


# Gemeentecodes die bij een herindeling nieuw zijn uitgegeven (de gemeente bestond het jaar ervoor niet).
NIEUWE_CODES = {
    "GM1948": 2017,  # Meierijstad
    "GM1949": 2018,  # Waadhoeke
    "GM1950": 2018,  # Westerwolde
    "GM1952": 2018,  # Midden-Groningen
    "GM1954": 2019,  # Beekdaelen
    "GM1959": 2019,  # Altena
    "GM1960": 2019,  # West Betuwe
    "GM1961": 2019,  # Vijfheerenlanden
    "GM1963": 2019,  # Hoeksche Waard
    "GM1966": 2019,  # Het Hogeland
    "GM1969": 2019,  # Westerkwartier
    "GM1970": 2019,  # Noardeast-Fryslân
    "GM1978": 2019,  # Molenlanden
    "GM1979": 2021,  # Eemsdelta
}


def lists_before_2021(g2021: list[dict[str, str]]) -> dict[int, list[tuple[str, str, str]]]:
    """De gemeentelijke indeling op 1 januari 2016-2020, terug gerekend vanaf de CBS-lijst 2021 door de
    herindelingen van elk volgend jaar om te keren; gecontroleerd tegen de CBS-aantallen per jaar."""
    lijst = {r["GemeentecodeGM"]: (r["Gemeentenaam"], r["Provincienaam"]) for r in g2021}
    uit: dict[int, list[tuple[str, str, str]]] = {}
    for jaar in (2020, 2019, 2018, 2017, 2016):
        volgend = str(jaar + 1)
        for oud, _, datum, _ in HERINDELINGEN:
            if datum.startswith(volgend):
                lijst[oud] = OPGEHEVEN[oud]
        for code, sinds in NIEUWE_CODES.items():
            if sinds == jaar + 1:
                del lijst[code]
        if len(lijst) != AANTAL_GEMEENTEN[jaar]:
            raise SystemExit(f"{jaar}: {len(lijst)} gemeenten, CBS zegt {AANTAL_GEMEENTEN[jaar]}")
        uit[jaar] = sorted((code, naam, prov) for code, (naam, prov) in lijst.items())
    return uit


GROOTTE_KLASSEN = [  # (ondergrens inwoners, omschrijving) volgens CBS-gemeentegrootteklasse
    (250_000, "250 000 inwoners of meer"),
    (150_000, "150 000 tot 250 000 inwoners"),
    (100_000, "100 000 tot 150 000 inwoners"),
    (50_000, "50 000 tot 100 000 inwoners"),
    (20_000, "20 000 tot 50 000 inwoners"),
    (10_000, "10 000 tot 20 000 inwoners"),
    (5_000, "5 000 tot 10 000 inwoners"),
    (0, "minder dan 5 000 inwoners"),
]
STEDELIJKHEID = [  # (ondergrens omgevingsadressendichtheid, code, omschrijving) volgens CBS
    (2500, 1, "Zeer sterk stedelijk"),
    (1500, 2, "Sterk stedelijk"),
    (1000, 3, "Matig stedelijk"),
    (500, 4, "Weinig stedelijk"),
    (0, 5, "Niet stedelijk"),
]


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return [{k: (v or "").strip() for k, v in r.items()} for r in csv.DictReader(f)]


def _write(name: str, header: list[str], rows: list[list]) -> None:
    with (SEEDS / name).open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    print(f"{name}: {len(rows)} rijen")


def main(ref: Path) -> None:
    g2021 = _read(ref / "cbs_gemeenten_alfabetisch_2021.csv")
    g2023 = _read(ref / "cbs_gemeenten_alfabetisch_2023.csv")
    gebieden = _read(ref / "cbs_85067NED_gebieden_in_nederland_2022.csv")

    rows = []
    for jaar, lijst in sorted(lists_before_2021(g2021).items()):
        rows += [[jaar, code, naam, prov] for code, naam, prov in lijst]
    for r in g2021:
        rows.append([2021, r["GemeentecodeGM"], r["Gemeentenaam"], r["Provincienaam"]])
    for r in gebieden:
        rows.append([2022, r["RegioS"], r["Naam_2"], r["Naam_29"]])
    for jaar in (2023, 2024, 2025):
        for r in g2023:
            rows.append([jaar, r["GemeentecodeGM"], r["Gemeentenaam"], r["Provincienaam"]])

    _write(
        "ref_herindelingen.csv",
        ["oude_gemeentecode", "nieuwe_gemeentecode", "ingangsdatum", "aandeel_bevolking", "bron_aandeel"],
        [
            [o, n, d, a, AANDEEL_BRON.get(o, "samenvoeging: het hele grondgebied")]
            for o, n, d, a in HERINDELINGEN
        ],
    )

    # Bevolking en klassen 2022 (CBS 85067NED).
    klassen = {}
    for r in gebieden:
        klassen[r["RegioS"]] = {
            "inwoners": int(r["Inwonertal_54"]),
            "dichtheid": int(r["Omgevingsadressendichtheid_55"] or 0),
            "grootte_code": int(r["Code_50"]),
            "grootte": r["Omschrijving_51"],
            "sted_code": int(r["Code_52"]),
            "sted": r["Omschrijving_53"],
        }
    _write(
        "ref_bevolking_2022.csv",
        ["gemeentecode", "jaar", "inwoners"],
        [[code, 2022, k["inwoners"]] for code, k in sorted(klassen.items())],
    )

    # Klassen voor de huidige kaart (2023-2025). Een gemeente die na 1-1-2022 is ontstaan krijgt de
    # klassen die CBS' regels geven voor de opgetelde inwoners en de inwonergewogen adressendichtheid.
    oud_naar_nieuw: dict[str, list[str]] = {}
    for o, n, d, _ in HERINDELINGEN:
        if d > "2022-01-01":
            oud_naar_nieuw.setdefault(n, []).append(o)
    out = []
    for r in g2023:
        code = r["GemeentecodeGM"]
        delen = [code] + oud_naar_nieuw.get(code, [])
        delen = [d for d in delen if d in klassen]
        inw = sum(klassen[d]["inwoners"] for d in delen)
        dichtheid = round(sum(klassen[d]["dichtheid"] * klassen[d]["inwoners"] for d in delen) / inw)
        if code in klassen and len(delen) == 1:
            k = klassen[code]
            gcode, gomschr, scode, somschr = k["grootte_code"], k["grootte"], k["sted_code"], k["sted"]
        else:
            gi = next(i for i, (grens, _) in enumerate(GROOTTE_KLASSEN) if inw >= grens)
            gcode, gomschr = 8 - gi, GROOTTE_KLASSEN[gi][1]
            _, scode, somschr = next(s for s in STEDELIJKHEID if dichtheid >= s[0])
        out.append(
            [code, r["Gemeentenaam"], r["Provincienaam"], gcode, gomschr, scode, somschr, inw, dichtheid]
        )
    _write(
        "ref_gemeenten.csv",
        [
            "gemeentecode",
            "gemeentenaam",
            "provincie",
            "gemeentegrootte_code",
            "gemeentegrootte",
            "stedelijkheid_code",
            "stedelijkheid",
            "inwoners_2022",
            "omgevingsadressendichtheid_2022",
        ],
        out,
    )

    # Jaarlijsten met klassen: de CBS-klassen van 2022 (85067NED) voor elke code die toen bestond, de
    # berekende klassen voor later ontstane gemeenten; leeg voor gemeenten die vóór 2022 zijn opgeheven.
    klasse_per_code = {
        code: (k["grootte_code"], k["grootte"], k["sted_code"], k["sted"]) for code, k in klassen.items()
    }
    for r in out:
        klasse_per_code.setdefault(r[0], (r[3], r[4], r[5], r[6]))
    _write(
        "ref_gemeenten_per_jaar.csv",
        [
            "jaar",
            "gemeentecode",
            "gemeentenaam",
            "provincie",
            "gemeentegrootte_code",
            "gemeentegrootte",
            "stedelijkheid_code",
            "stedelijkheid",
        ],
        [r + list(klasse_per_code.get(r[1], ("", "", "", ""))) for r in rows],
    )

    wijken = []
    for r in _read(ref / "cbs_85318NED_wijken_en_buurten_2022_codes.csv"):
        if r["Key"].startswith("WK"):
            wijken.append([r["Key"], r["Title"], r["Municipality"]])
    _write("ref_wijken.csv", ["wijkcode", "wijknaam", "gemeentecode"], wijken)


if __name__ == "__main__":
    main(
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else Path(__file__).resolve().parents[3] / "shared" / "referentie"
    )
