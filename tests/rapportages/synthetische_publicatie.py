"""Een kleine publicatie (`publicatie.duckdb`) die de rapporttests zelf opbouwen.

Gedeeld door test_gemeenterapport.py en test_chromium.py; test_pdf.py, test_exporten.py en test_landelijk.py
gebruiken het schema (:data:`SCHEMA`, :func:`indicator_schema`), de schrijver (:func:`schrijf_publicatie`) en
waar dat kan ook de rijen hieronder, met hun eigen aanvullingen. De inhoud is zo gekozen dat elk geval van het
rapport voorkomt:

* Goeree-Overflakkee (GM1924), 2018–2023, drie indicatoren:
  - p_mantelzorg_geven: trend stijgend (geen gunstige richting), vergelijkingsgroep binnen de spreiding,
    landelijk (gemeenten in de monitor, andere samenstelling dan in 2022) duidelijk hoger;
  - g_vrijwilligerswerk (hoger is gunstig): jaar 2021 onderdrukt, driejaarsvensters 2021 en 2023 onderdrukt,
    trend stabiel, vergelijkingsgroep lager dan verwacht, landelijk binnen;
  - i_deelnames_per_1000: trend stijgend, een landelijke vergelijking (duidelijk hoger) en een groepsrij zonder
    referentie, met de reden (minder dan 3 gemeenten van de groep met een cijfer).
* Amsterdam (GM0363):
  - p_mantelzorg_geven alleen 2021–2023, 2023 onderdrukt: nog geen trend, de vergelijking valt terug op 2022;
  - g_vrijwilligerswerk 2018–2023: trend dalend (hoger is gunstig), landelijk duidelijk lager; in 2023 heeft
    elke gemeente van de kaart een cijfer, dus heet de referentie daar 'Nederland'.
* Leeuwarden (GM0080), ontstaan uit Leeuwarderadeel en (een deel van) Littenseradiel:
  - g_vrijwilligerswerk 2018–2023: 2018 en 2019 beschrijven alleen het deel dat leverde (dekking): 2018 zonder
    beide voorgangers, aandeel inwoners onbekend; 2019 zonder Littenseradiel en GM9998 (een code zonder naam in
    de publicatie), 91,2% van de inwoners. Driejaarsvensters met zo'n jaar zijn onderdrukt; de trend (stijgend)
    rust op 2020–2023 en is gevoelig voor één jaar;
  - p_mantelzorg_geven: een kleine gemeente. 2018–2020, 2022 en 2023 zijn onderdrukt, 2021 niet; de gepoolde
    periode 2018–2020 is gepubliceerd, 2021–2023 is onderdrukt (vergif).
* Gepoolde perioden (fct_indicator_periode) ook voor Goeree-Overflakkee: mantelzorg 2018–2020 en 2021–2023
  zonder onderdrukte jaren; vrijwilligerswerk 2018–2020 gepubliceerd en 2021–2023 onderdrukt (één onderdrukt
  jaar naast gepubliceerde jaren zou het verschil zijn).
* Groningen (GM0014) zonder cijfers.

Onderdrukte cellen bevatten hier met opzet "vergiftigde" getallen (de marts laten ze leeg): het rapport mag ze
nooit tonen, omdat het op de vlag `onderdrukt` / `onderdrukt_3jaar` let en niet op de inhoud.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb

JAREN = range(2018, 2024)  # 2018..2023
ONDERDRUKT_JAAR = 2021  # g_vrijwilligerswerk in Goeree-Overflakkee

# Getallen die alleen in onderdrukte cellen staan; geen enkele vorm ervan mag in een rapport verschijnen.
GIF_WAARDE = 87.654
GIF_CI = (81.234, 93.219)
GIF_TELLER = 3786.0
GIF_3JAAR = 77.771
GIF_3JAAR_CI = (71.113, 83.337)
GIF_PERIODE = 66.432
GIF_PERIODE_CI = (62.873, 69.517)
GIF_PERIODE_N = 5813
GIF_TEKSTEN = (
    "87,7",
    "87,65",
    "87.65",
    "81,2",
    "93,2",
    "3.786",
    "3786",
    "77,8",
    "77,77",
    "71,1",
    "83,3",
    "4.321",
    "4321",
    "66,4",
    "66.43",
    "62,9",
    "69,5",
    "5.813",
    "5813",
)


def indicator_schema(extra: str = "") -> str:
    """De kolommen van marts.dim_indicator; ``extra`` (bijv. "schaal DOUBLE") staat direct na eenheid."""
    return f"""
        indicator_code VARCHAR, naam VARCHAR, sfeer VARCHAR, bron VARCHAR, eenheid VARCHAR,{f" {extra}," if extra else ""}
        teller_definitie VARCHAR, noemer_definitie VARCHAR, minimum_n INTEGER, richting_gunstig VARCHAR,
        toelichting VARCHAR"""


SCHEMA = {
    "marts.dim_gemeente": """
        gemeentecode VARCHAR, gemeentenaam VARCHAR, provincie VARCHAR, gemeentegrootte VARCHAR,
        stedelijkheid VARCHAR, inwoners_2022 BIGINT, voorgangers VARCHAR""",
    "marts.dim_indicator": indicator_schema(),
    "marts.fct_indicator_jaar": """
        gemeentecode VARCHAR, jaar INTEGER, indicator_code VARCHAR, teller DOUBLE, noemer DOUBLE, n BIGINT,
        waarde DOUBLE, se DOUBLE, ci_onder DOUBLE, ci_boven DOUBLE, onderdrukt BOOLEAN,
        bron_leveringen VARCHAR[], dekking DOUBLE, dekking_ontbrekend VARCHAR[]""",
    "marts.fct_indicator_meerjarig": """
        gemeentecode VARCHAR, indicator_code VARCHAR, jaar INTEGER, jaren_in_venster INTEGER, n_3jaar BIGINT,
        waarde_3jaar DOUBLE, se_3jaar DOUBLE, ci_onder_3jaar DOUBLE, ci_boven_3jaar DOUBLE,
        onderdrukt_3jaar BOOLEAN, trend_jaar_van INTEGER, trend_jaar_tot INTEGER, trend_jaren INTEGER,
        helling DOUBLE, helling_ci_onder DOUBLE, helling_ci_boven DOUBLE, trend VARCHAR, trend_gevoelig BOOLEAN""",
    "marts.fct_indicator_periode": """
        gemeentecode VARCHAR, indicator_code VARCHAR, periode VARCHAR, periode_van INTEGER, periode_tot INTEGER,
        jaren_met_gegevens INTEGER, jaren_onderdrukt INTEGER, n BIGINT, waarde DOUBLE, se DOUBLE,
        ci_onder DOUBLE, ci_boven DOUBLE, onderdrukt BOOLEAN""",
    "marts.fct_vergelijking": """
        gemeentecode VARCHAR, jaar INTEGER, indicator_code VARCHAR, referentie VARCHAR,
        vergelijkingsgroep VARCHAR, waarde DOUBLE, ci_onder DOUBLE, ci_boven DOUBLE, referentie_waarde DOUBLE,
        referentie_gemeenten INTEGER, grens_95_onder DOUBLE, grens_95_boven DOUBLE, grens_998_onder DOUBLE,
        grens_998_boven DOUBLE, se_referentie DOUBLE, overdispersie_tau DOUBLE, overdispersie_phi DOUBLE,
        overdispersie_bron VARCHAR, positie VARCHAR, positie_998 VARCHAR, referentie_naam VARCHAR,
        referentie_naam_kort VARCHAR, referentie_gemeenten_kaart INTEGER, referentie_inwoners_aandeel DOUBLE,
        referentie_volledig BOOLEAN, samenstelling_gewijzigd BOOLEAN, samenstelling_wijziging VARCHAR,
        reden_geen_referentie VARCHAR, reden_geen_grenzen VARCHAR""",
    "marts.fct_verhalen": """
        verhaal_id VARCHAR, gemeentecode VARCHAR, wijkcode VARCHAR, jaar INTEGER, sfeer VARCHAR,
        titel VARCHAR, tekst VARCHAR""",
    "kwaliteit.leveringen": """
        levering_id VARCHAR, bron VARCHAR, bestandsnaam VARCHAR, sha256 VARCHAR, ontvangen_op TIMESTAMP,
        rijen BIGINT, status VARCHAR, reden VARCHAR, vervangt VARCHAR""",
}

GROEP_GOEREE = "50 000 tot 100 000 inwoners; Weinig stedelijk"

GEMEENTEN = [
    (
        "GM1924",
        "Goeree-Overflakkee",
        "Zuid-Holland",
        "50 000 tot 100 000 inwoners",
        "Weinig stedelijk",
        51_000,
        "GM0499 Dirksland, GM0511 Goedereede, GM0580 Middelharnis",
    ),
    (
        "GM0363",
        "Amsterdam",
        "Noord-Holland",
        "100 000 inwoners of meer",
        "Zeer sterk stedelijk",
        882_633,
        None,
    ),
    (
        "GM0080",
        "Leeuwarden",
        "Fryslân",
        "100 000 inwoners of meer",
        "Sterk stedelijk",
        124_481,
        "GM0081 Leeuwarderadeel, GM0140 Littenseradiel",
    ),
    # Een gemeente zonder cijfers: krijgt bij render_all_reports geen rapport.
    ("GM0014", "Groningen", "Groningen", "100 000 inwoners of meer", "Sterk stedelijk", 234_649, None),
]

INDICATOREN = [
    (
        "i_deelnames_per_1000",
        "Deelnames aan activiteiten per 1.000 inwoners",
        "institutioneel",
        "deelname",
        "per 1.000 inwoners",
        "Aantal deelnames",
        "Aantal inwoners",
        10,
        None,
        "Bezoeken aan activiteiten.",
    ),
    (
        "p_mantelzorg_geven",
        "Geeft mantelzorg",
        "persoonlijk",
        "enquete",
        "percentage",
        "Gewogen aantal mantelzorgers",
        "Gewogen aantal geldige antwoorden",
        100,
        None,
        "Aandeel volwassen inwoners dat mantelzorg geeft.",
    ),
    (
        "g_vrijwilligerswerk",
        "Doet vrijwilligerswerk",
        "gemeenschappelijk",
        "enquete",
        "percentage",
        "Gewogen aantal vrijwilligers",
        "Gewogen aantal geldige antwoorden",
        100,
        "hoger",
        "Aandeel volwassen inwoners dat vrijwilligerswerk doet.",
    ),
]


def indicatoren_met(extra: dict[str, tuple]) -> list[tuple]:
    """De rijen van INDICATOREN in de volgorde van ``extra``, met die extra kolommen direct na eenheid
    (zie :func:`indicator_schema`)."""
    per_code = {r[0]: r for r in INDICATOREN}
    return [(*per_code[code][:5], *waarden, *per_code[code][5:]) for code, waarden in extra.items()]


LEVERINGEN = [
    (
        "lev-enq-1",
        "enquete",
        "burgerpeiling_goeree.sav",
        "a" * 64,
        datetime(2024, 3, 5, 10, 0),
        1234,
        "geaccepteerd",
        None,
        None,
    ),
    (
        "lev-dln-1",
        "deelname",
        "deelname_goeree_2023.csv",
        "b" * 64,
        datetime(2024, 2, 1, 9, 30),
        56789,
        "geaccepteerd",
        None,
        None,
    ),
    (
        "lev-ams-1",
        "enquete",
        "burgerpeiling_amsterdam.sav",
        "c" * 64,
        datetime(2024, 3, 6),
        999,
        "geaccepteerd",
        None,
        None,
    ),
    (
        "lev-afgewezen",
        "deelname",
        "kapot_bestand.csv",
        "d" * 64,
        datetime(2024, 1, 1),
        0,
        "afgewezen",
        "kolom ontbreekt",
        None,
    ),
    (
        "lev-lwd-1",
        "enquete",
        "burgerpeiling_leeuwarden.sav",
        "f" * 64,
        datetime(2024, 3, 4),
        777,
        "geaccepteerd",
        None,
        None,
    ),
]

SCRIPT_VERHAAL = "Ik dacht <script>alert(1)</script> dat niemand kwam, maar de buurvrouw stond er."

VERHALEN = [
    ("v1", "GM1924", "WK192401", 2022, "persoonlijk", "Koffie bij de buren", SCRIPT_VERHAAL),
    (
        "v2",
        "GM1924",
        None,
        2023,
        "gemeenschappelijk",
        None,
        "Sinds ik bij de voetbalclub help, ken ik de wijk.",
    ),
    ("v3", "GM0363", None, 2023, "institutioneel", "Het buurthuis", "Een verhaal uit Amsterdam."),
]

LEEUWARDEN = "GM0080"
# Jaren van Leeuwarden (vrijwilligerswerk) die maar een deel van de gemeente beschrijven: (dekking, ontbrekend).
DEELS_GEDEKT = {2018: (None, ["GM0081", "GM0140"]), 2019: (0.91237, ["GM0140", "GM9998"])}
# Leeuwarden, mantelzorg: alleen 2021 heeft genoeg respondenten.
LEEUWARDEN_ONDERDRUKT = (2018, 2019, 2020, 2022, 2023)


def _jaarrij(code, jaar, indicator, teller, noemer, n, waarde, se, lev, dekking=(1.0, [])) -> tuple:
    return (
        code,
        jaar,
        indicator,
        teller,
        noemer,
        n,
        waarde,
        se,
        waarde - 2 * se,
        waarde + 2 * se,
        False,
        [lev],
        *dekking,
    )


def _onderdrukte_jaarrij(code, jaar, indicator, lev) -> tuple:
    # Te weinig respondenten. De mart laat waarde, interval en teller leeg; hier staan er met opzet getallen
    # in (vergif) om te bewijzen dat het rapport alleen op de vlag let.
    return (code, jaar, indicator, GIF_TELLER, 4321.0, 37, GIF_WAARDE, 1.0, *GIF_CI, True, [lev], 1.0, [])


def _cijfers() -> list[tuple]:
    rijen = []
    for k, jaar in enumerate(JAREN):
        # persoonlijk: percentage met decimalen (45,67 -> "45,7")
        rijen.append(
            _jaarrij(
                "GM1924", jaar, "p_mantelzorg_geven", 523.4 + k, 1146.0, 1146, 45.67 + k, 1.4, "lev-enq-1"
            )
        )
        # gemeenschappelijk: in ONDERDRUKT_JAAR te weinig respondenten
        if jaar == ONDERDRUKT_JAAR:
            rijen.append(_onderdrukte_jaarrij("GM1924", jaar, "g_vrijwilligerswerk", "lev-enq-1"))
        else:
            rijen.append(
                _jaarrij(
                    "GM1924",
                    jaar,
                    "g_vrijwilligerswerk",
                    400.0,
                    1200.0,
                    1200,
                    30.25 + k / 2,
                    1.3,
                    "lev-enq-1",
                )
            )
        # institutioneel: per 1.000 inwoners, met een opvallende (gewogen) teller in 2023
        teller = 123_456.7 if jaar == 2023 else 40_000.0 + 1000 * k
        rijen.append(
            _jaarrij(
                "GM1924",
                jaar,
                "i_deelnames_per_1000",
                teller,
                51_000.0,
                int(teller),
                teller / 51_000 * 1000,
                10.0,
                "lev-dln-1",
            )
        )
        # Amsterdam: vrijwilligerswerk daalt; mantelzorg pas vanaf 2021, met 2023 onderdrukt
        rijen.append(
            _jaarrij(
                "GM0363", jaar, "g_vrijwilligerswerk", 800.0, 2000.0, 2000, 40.5 - 0.8 * k, 1.1, "lev-ams-1"
            )
        )
        if jaar in (2021, 2022):
            rijen.append(
                _jaarrij(
                    "GM0363", jaar, "p_mantelzorg_geven", 300.0, 1500.0, 1500, 20.5 + k, 1.2, "lev-ams-1"
                )
            )
        elif jaar == 2023:
            rijen.append(_onderdrukte_jaarrij("GM0363", jaar, "p_mantelzorg_geven", "lev-ams-1"))
        # Leeuwarden: vrijwilligerswerk met twee deels gedekte jaren, mantelzorg bijna elk jaar onderdrukt
        rijen.append(
            _jaarrij(
                LEEUWARDEN,
                jaar,
                "g_vrijwilligerswerk",
                600.0,
                1500.0,
                1500,
                24.5 + 1.5 * k,
                1.2,
                "lev-lwd-1",
                DEELS_GEDEKT.get(jaar, (1.0, [])),
            )
        )
        if jaar in LEEUWARDEN_ONDERDRUKT:
            rijen.append(_onderdrukte_jaarrij(LEEUWARDEN, jaar, "p_mantelzorg_geven", "lev-lwd-1"))
        else:
            rijen.append(
                _jaarrij(LEEUWARDEN, jaar, "p_mantelzorg_geven", 20.0, 104.0, 104, 19.23, 3.9, "lev-lwd-1")
            )
    return rijen


# (gemeente, indicator) -> (trend, helling, ondergrens, bovengrens) voor de rijen met minstens 4 jaren
TRENDS = {
    ("GM1924", "p_mantelzorg_geven"): ("stijgend", 1.0, 0.6, 1.4),
    ("GM1924", "g_vrijwilligerswerk"): ("stabiel", 0.1, -0.2, 0.4),
    ("GM1924", "i_deelnames_per_1000"): ("stijgend", 260.4, 20.1, 500.7),
    ("GM0363", "g_vrijwilligerswerk"): ("dalend", -0.8, -1.4, -0.2),
    (LEEUWARDEN, "g_vrijwilligerswerk"): ("stijgend", 1.5, 0.3, 2.7),
}
# Trends waarvan het oordeel anders uitvalt zonder één van de jaren (trend_gevoelig).
GEVOELIGE_TRENDS = {(LEEUWARDEN, "g_vrijwilligerswerk")}
# Onderdrukte driejaarsvensters (gemeente, indicator, laatste jaar van het venster)
ONDERDRUKTE_VENSTERS = {("GM1924", "g_vrijwilligerswerk", 2021), ("GM1924", "g_vrijwilligerswerk", 2023)}


def _meerjarig(cijfers: list[tuple]) -> list[tuple]:
    """Eén rij per jaarrij, zoals marts.fct_indicator_meerjarig."""
    rijen = []
    reeksen: dict[tuple[str, str], list[tuple]] = {}
    for r in cijfers:
        reeksen.setdefault((r[0], r[2]), []).append(r)
    for (code, indicator), reeks in reeksen.items():
        reeks.sort(key=lambda r: r[1])
        for r in reeks:
            jaar = r[1]
            venster = [v for v in reeks if jaar - 2 <= v[1] <= jaar]
            # Zoals de mart: een trend en een driejaarswaarde rusten alleen op gepubliceerde jaren die de hele
            # gemeente beschrijven.
            gepubliceerd = [v for v in reeks if v[1] <= jaar and not v[10] and not v[13]]
            if len(venster) < 2:
                drie = (len(venster), None, None, None, None, None, None)
            elif (code, indicator, jaar) in ONDERDRUKTE_VENSTERS or any(v[10] or v[13] for v in venster):
                # vergif in een onderdrukt venster (de mart laat het leeg)
                drie = (len(venster), 64, GIF_3JAAR, 1.0, *GIF_3JAAR_CI, True)
            else:
                waarden = [v[6] for v in venster if not v[10]]
                gemiddelde = sum(waarden) / len(waarden)
                drie = (
                    len(venster),
                    sum(v[5] for v in venster),
                    gemiddelde,
                    0.8,
                    gemiddelde - 1.6,
                    gemiddelde + 1.6,
                    False,
                )
            trend = TRENDS.get((code, indicator))
            if len(gepubliceerd) >= 4 and trend:
                oordeel = (*trend[1:], trend[0], (code, indicator) in GEVOELIGE_TRENDS)
            else:
                oordeel = (None, None, None, "onvoldoende gegevens", None)
            rijen.append(
                (
                    code,
                    indicator,
                    jaar,
                    *drie,
                    gepubliceerd[0][1] if gepubliceerd else None,
                    gepubliceerd[-1][1] if gepubliceerd else None,
                    len(gepubliceerd),
                    *oordeel,
                )
            )
    return rijen


# Gepoolde perioden zoals marts.fct_indicator_periode; onderdrukte perioden met vergif (de mart laat ze leeg).
GEPUBLICEERDE_PERIODE = (LEEUWARDEN, "p_mantelzorg_geven", 2018, 3, 3, 312, 18.25, 2.2, 14.13, 22.87)


def _periode(code, indicator, van, jaren, onderdrukte_jaren, n, waarde, se, ci_onder, ci_boven) -> tuple:
    return (code, indicator, f"{van}–{van + 2}", van, van + 2, jaren, onderdrukte_jaren, n, waarde, se,
            ci_onder, ci_boven, False)  # fmt: skip


def _onderdrukte_periode(code, indicator, van, jaren, onderdrukte_jaren) -> tuple:
    return (code, indicator, f"{van}–{van + 2}", van, van + 2, jaren, onderdrukte_jaren, GIF_PERIODE_N,
            GIF_PERIODE, 1.9, *GIF_PERIODE_CI, True)  # fmt: skip


PERIODEN = [
    _periode(*GEPUBLICEERDE_PERIODE),
    _onderdrukte_periode(LEEUWARDEN, "p_mantelzorg_geven", 2021, 3, 2),
    _periode("GM1924", "p_mantelzorg_geven", 2018, 3, 0, 3438, 46.67, 0.8, 45.1, 48.2),
    _periode("GM1924", "p_mantelzorg_geven", 2021, 3, 0, 3438, 49.67, 0.8, 48.1, 51.2),
    _periode("GM1924", "g_vrijwilligerswerk", 2018, 3, 0, 3600, 30.75, 0.75, 29.3, 32.2),
    _onderdrukte_periode("GM1924", "g_vrijwilligerswerk", 2021, 3, 1),
]

NAAM_GROEP_GOEREE = "50.000–100.000 inwoners; weinig stedelijk"
GEMEENTEN_KAART = 342


def referentienaam(referentie: str, aantal: int) -> tuple:
    """Naam, korte naam, gemeenten op de kaart, aandeel inwoners en volledig, zoals fct_vergelijking ze geeft."""
    if referentie == "vergelijkingsgroep":
        return (
            f"vergelijkingsgroep in de monitor: {NAAM_GROEP_GOEREE} ({aantal} van de 40 gemeenten, "
            "30% van de inwoners)",
            "Vergelijkingsgroep",
            40,
            30.0,
            False,
        )
    if aantal == GEMEENTEN_KAART:
        return (f"Nederland (alle {GEMEENTEN_KAART} gemeenten)", "Nederland", GEMEENTEN_KAART, 100.0, True)
    return (
        f"gemeenten in de monitor ({aantal} van de {GEMEENTEN_KAART} gemeenten, 23% van de inwoners)",
        "Gemeenten in de monitor",
        GEMEENTEN_KAART,
        23.0,
        False,
    )


def _vergelijkingsrij(
    code, jaar, indicator, referentie, waarde, ci, ref, aantal, g95, g998, positie, wijziging=None
) -> tuple:
    return (
        code,
        jaar,
        indicator,
        referentie,
        GROEP_GOEREE if referentie == "vergelijkingsgroep" else None,
        waarde,
        *ci,
        ref,
        aantal,
        *g95,
        *g998,
        1.6 if g95[0] is not None else None,
        0.9 if referentie == "landelijk" else 0.0,
        1.7,
        "eigen referentie" if referentie == "landelijk" else "te weinig gemeenten",
        *positie,
        *referentienaam(referentie, aantal),
        wijziging is not None,
        wijziging,
        None,
        None if g95[0] is not None else "geen standaardfout voor deze gemeente: geen trechtergrenzen",
    )


def _zonder_groep(code, jaar, indicator, waarde, ci, aantal) -> tuple:
    """Een rij 'vergelijkingsgroep' zonder referentie: minder dan 3 gemeenten van de groep met een cijfer."""
    return (
        code,
        jaar,
        indicator,
        "vergelijkingsgroep",
        GROEP_GOEREE,
        waarde,
        *ci,
        None,
        aantal,
        *[None] * 10,
        f"vergelijkingsgroep {NAAM_GROEP_GOEREE}",
        "Vergelijkingsgroep",
        *[None] * 5,
        f"minder dan 3 gemeenten uit dezelfde vergelijkingsgroep ({NAAM_GROEP_GOEREE}) hebben een cijfer voor "
        f"{jaar} ({aantal} gemeenten)",
        None,
    )


VERGELIJKING = [
    # Goeree, mantelzorg: 2022 (ouder jaar: mag niet in het rapport) en 2023
    _vergelijkingsrij(
        "GM1924",
        2022,
        "p_mantelzorg_geven",
        "landelijk",
        49.67,
        (46.87, 52.47),
        43.21,
        14,
        (40.11, 46.31),
        (38.02, 48.4),
        ("boven", "boven"),
    ),
    _vergelijkingsrij(
        "GM1924",
        2023,
        "p_mantelzorg_geven",
        "vergelijkingsgroep",
        50.67,
        (47.87, 53.47),
        47.5,
        12,
        (44.1, 50.9),
        (42.1, 52.9),
        ("binnen", "binnen"),
    ),
    _vergelijkingsrij(
        "GM1924",
        2023,
        "p_mantelzorg_geven",
        "landelijk",
        50.67,
        (47.87, 53.47),
        44.2,
        14,
        (41.0, 47.4),
        (39.1, 49.3),
        ("boven", "boven"),
        "andere gemeenten dan in 2022: 1 erbij en 1 eruit",
    ),
    # Goeree, vrijwilligerswerk 2023
    _vergelijkingsrij(
        "GM1924",
        2023,
        "g_vrijwilligerswerk",
        "landelijk",
        32.75,
        (30.15, 35.35),
        31.9,
        14,
        (29.4, 34.4),
        (27.9, 35.9),
        ("binnen", "binnen"),
    ),
    _vergelijkingsrij(
        "GM1924",
        2023,
        "g_vrijwilligerswerk",
        "vergelijkingsgroep",
        32.75,
        (30.15, 35.35),
        36.0,
        12,
        (33.0, 39.0),
        (31.2, 40.8),
        ("onder", "binnen"),
    ),
    # Goeree, deelnames 2023: de groep heeft te weinig gemeenten met een cijfer (een rij met de reden)
    _zonder_groep("GM1924", 2023, "i_deelnames_per_1000", 2420.7, (2400.7, 2440.7), 2),
    _vergelijkingsrij(
        "GM1924",
        2023,
        "i_deelnames_per_1000",
        "landelijk",
        2420.7,
        (2400.7, 2440.7),
        800.0,
        14,
        (760.0, 840.0),
        (737.0, 863.0),
        ("boven", "boven"),
    ),
    # Amsterdam, mantelzorg: 2022 zonder trechtergrenzen; 2023 is onderdrukt (een rij met vergif: nooit tonen)
    _vergelijkingsrij(
        "GM0363",
        2022,
        "p_mantelzorg_geven",
        "landelijk",
        21.5,
        (19.1, 23.9),
        19.4,
        13,
        (None, None),
        (None, None),
        (None, None),
    ),
    _vergelijkingsrij(
        "GM0363",
        2023,
        "p_mantelzorg_geven",
        "landelijk",
        GIF_WAARDE,
        GIF_CI,
        19.9,
        13,
        (18.0, 21.8),
        (17.0, 22.8),
        ("boven", "boven"),
    ),
    # Amsterdam, vrijwilligerswerk 2023: elke gemeente van de kaart heeft een cijfer, dus 'Nederland'
    _vergelijkingsrij(
        "GM0363",
        2023,
        "g_vrijwilligerswerk",
        "landelijk",
        36.5,
        (34.3, 38.7),
        45.1,
        GEMEENTEN_KAART,
        (42.9, 47.3),
        (41.6, 48.6),
        ("onder", "onder"),
    ),
]


def schrijf_publicatie(
    pad: Path,
    inhoud: dict[str, list],
    *,
    schema: dict[str, str] = SCHEMA,
    zonder: str | None = None,
    zonder_kolommen: dict[str, tuple[str, ...]] | None = None,
    gepubliceerde_rijen: int | None = 3,
) -> Path:
    """Schrijft de tabellen van ``schema`` met de rijen uit ``inhoud`` naar ``pad``.

    Een rij is een tuple (ontbrekende kolommen aan het eind blijven leeg) of een dict op kolomnaam. ``zonder``
    laat een tabel weg, ``zonder_kolommen`` kolommen. Met ``gepubliceerde_rijen`` komt er ook een
    kwaliteit.publicatie bij, zoals rapportages.publicatie vastlegt wanneer deze versie is gepubliceerd.
    """
    con = duckdb.connect(str(pad))
    try:
        schemas = {t.split(".")[0] for t in schema} | (
            {"kwaliteit"} if gepubliceerde_rijen is not None else set()
        )
        for naam in sorted(schemas):
            con.execute(f"CREATE SCHEMA {naam}")
        for tabel, kolommen in schema.items():
            if tabel == zonder:
                continue
            con.execute(f"CREATE TABLE {tabel} ({kolommen})")
            namen = [k.split()[0] for k in kolommen.split(",")]
            rijen = [
                tuple(r.get(n) for n in namen)
                if isinstance(r, dict)
                else (*r, *[None] * (len(namen) - len(r)))
                for r in inhoud[tabel]
            ]
            con.executemany(f"INSERT INTO {tabel} VALUES ({', '.join('?' * len(namen))})", rijen)
            for kolom in (zonder_kolommen or {}).get(tabel, ()):
                con.execute(f"ALTER TABLE {tabel} DROP COLUMN {kolom}")
        if gepubliceerde_rijen is not None:
            con.execute(
                "CREATE TABLE kwaliteit.publicatie (tabel VARCHAR, rijen BIGINT, gepubliceerd_op TIMESTAMP)"
            )
            con.execute(
                "INSERT INTO kwaliteit.publicatie VALUES ('marts.dim_gemeente', ?, TIMESTAMP '2024-04-02 08:00')",
                [gepubliceerde_rijen],
            )
    finally:
        con.close()
    return pad


def maak_publicatie(
    pad: Path, zonder: str | None = None, zonder_kolommen: dict[str, tuple[str, ...]] | None = None
) -> Path:
    """Schrijft de publicatie naar ``pad``; ``zonder`` laat een tabel weg, ``zonder_kolommen`` kolommen."""
    cijfers = _cijfers()
    inhoud = {
        "marts.dim_gemeente": GEMEENTEN,
        "marts.dim_indicator": INDICATOREN,
        "marts.fct_indicator_jaar": cijfers,
        "marts.fct_indicator_meerjarig": _meerjarig(cijfers),
        "marts.fct_indicator_periode": PERIODEN,
        "marts.fct_vergelijking": VERGELIJKING,
        "marts.fct_verhalen": VERHALEN,
        "kwaliteit.leveringen": LEVERINGEN,
    }
    return schrijf_publicatie(pad, inhoud, zonder=zonder, zonder_kolommen=zonder_kolommen)
