-- Indicatorvloer: de jaarlijkse indicatoren (zelfde definities als marts.fct_indicator_jaar) in één
-- handgeschreven DuckDB-script, op de tabellen die benchmarks/vloer.py::floor_ingest maakt
-- (bevolking, deelname, vrijwilligers, mantelzorg, enquete; `bestand` is de levering).
-- {seeds} wordt vervangen door de map met de dbt-seeds. Het script eindigt met één select: het resultaat.

-- ------------------------------------------------------------------ referentie
create or replace temp table herindelingen as
select oude_gemeentecode, nieuwe_gemeentecode, aandeel_bevolking::double as aandeel
from read_csv('{seeds}/ref_herindelingen.csv', header = true, all_varchar = true);

create or replace temp table gemeenten as
select gemeentecode from read_csv('{seeds}/ref_gemeenten.csv', header = true, all_varchar = true);

create or replace temp table catalogus as
select code as indicator, schaal::double as schaal, intervalmethode, minimum_n::integer as minimum_n
from read_csv('{seeds}/indicatoren.csv', header = true, all_varchar = true);

-- elke (historische) code -> code op de huidige kaart, met het bevolkingsaandeel (ketens gevolgd)
create or replace temp table kaart as
with recursive keten (code, actueel, aandeel, stap) as (
    select oude_gemeentecode, nieuwe_gemeentecode, aandeel, 1 from herindelingen
    union all
    select k.code, h.nieuwe_gemeentecode, k.aandeel * h.aandeel, k.stap + 1
    from keten as k
    join herindelingen as h on h.oude_gemeentecode = k.actueel
    where k.stap < 20
)
select code, actueel, sum(aandeel) as aandeel
from keten
where actueel in (select gemeentecode from gemeenten)
group by all
union all
select gemeentecode, gemeentecode, 1.0 from gemeenten;

-- CBS-wijken (indeling 2022) op de huidige kaart; alleen van gemeenten die in hun geheel opgingen
create or replace temp table wijken as
select k.actueel as gemeentecode, w.wijkcode
from read_csv('{seeds}/ref_wijken.csv', header = true, all_varchar = true) as w
join kaart as k on k.code = w.gemeentecode
where k.aandeel = 1;

create or replace temp table inwoners as
select k.actueel as gemeentecode, b.jaar, sum(b.inwoners * k.aandeel) as inwoners
from bevolking as b
join kaart as k on k.code = b.gemeentecode
group by all;

-- ------------------------------------------------------------------ deelname
create or replace temp table deelname_jaar as
select k.actueel as gemeentecode, year(d.periode_start) as jaar, d.activiteit_id, d.wijkcode,
       sum(d.aantal_deelnames * k.aandeel) as deelnames,
       sum(d.aantal_unieke_deelnemers * k.aandeel) as unieke,
       bool_and(d.aantal_unieke_deelnemers is not null) as unieke_volledig,
       max(k.aandeel) as gewicht
from deelname as d
join kaart as k on k.code = d.gemeentecode
group by all;

create or replace temp table activiteit_jaar as
select gemeentecode, jaar, activiteit_id, max(gewicht) as gewicht
from deelname_jaar
group by all
having sum(deelnames) > 0;

-- ------------------------------------------------------------------ registers: welke jaren een levering beschrijft
create or replace temp table dekking as
with perioden as (
    select 'vrijwilligers' as bron, bestand, gemeentecode,
           year(min(startdatum)) as eerste_start, year(min(einddatum)) as eerste_einde,
           year(greatest(max(startdatum), coalesce(max(einddatum), max(startdatum)))) as laatste
    from vrijwilligers
    group by all
    union all
    select 'mantelzorg', bestand, gemeentecode,
           year(min(registratiedatum)), year(min(uitschrijfdatum)),
           year(greatest(max(registratiedatum), coalesce(max(uitschrijfdatum), max(registratiedatum)),
                         coalesce(max(contactdatum), max(registratiedatum))))
    from mantelzorg
    group by all
),
jaren as (
    select p.bron, p.bestand, k.actueel as gemeentecode,
           unnest(range(case when coalesce(p.eerste_einde, p.eerste_start) <= p.eerste_start + 1
                             then p.eerste_start else p.eerste_einde end,
                        p.laatste + 1)) as jaar
    from perioden as p
    join kaart as k on k.code = p.gemeentecode
)
select distinct bron, bestand, gemeentecode, jaar from jaren;

-- ------------------------------------------------------------------ vrijwilligers per persoon en jaar
create or replace temp table vrijwilligers_jaar as
with inzet as (
    select v.bestand, v.vrijwilliger_id, v.startdatum, v.einddatum, k.actueel as gemeentecode, k.aandeel
    from vrijwilligers as v
    join kaart as k on k.code = v.gemeentecode
),
actief as (
    select i.gemeentecode, d.jaar, i.vrijwilliger_id, max(i.aandeel) as gewicht
    from inzet as i
    join dekking as d
      on d.bron = 'vrijwilligers' and d.bestand = i.bestand and d.gemeentecode = i.gemeentecode
    where i.startdatum <= make_date(d.jaar, 12, 31)
      and (i.einddatum is null or i.einddatum >= make_date(d.jaar, 1, 1))
    group by all
),
eerste as (
    select gemeentecode, vrijwilliger_id, min(startdatum) as eerste_start from inzet group by all
)
select a.gemeentecode, a.jaar, a.vrijwilliger_id, a.gewicht,
       (make_date(a.jaar, 12, 31) - e.eerste_start) / 365.25 as duur
from actief as a
join eerste as e using (gemeentecode, vrijwilliger_id);

-- ------------------------------------------------------------------ mantelzorgers per persoon en jaar
-- ingeschreven in een jaar dat de levering beschrijft; contacten = verschillende (vorm, datum) in dat jaar
create or replace temp table mantelzorgers_jaar as
with rijen as (
    select m.*, k.actueel, k.aandeel
    from mantelzorg as m
    join kaart as k on k.code = m.gemeentecode
),
inschrijvingen as (
    select distinct bestand, actueel, aandeel, mantelzorger_id, registratiedatum, uitschrijfdatum from rijen
),
personen as (
    select i.actueel as gemeentecode, d.jaar, i.mantelzorger_id, max(i.aandeel) as gewicht
    from inschrijvingen as i
    join dekking as d on d.bron = 'mantelzorg' and d.bestand = i.bestand and d.gemeentecode = i.actueel
    where i.registratiedatum <= make_date(d.jaar, 12, 31)
      and (i.uitschrijfdatum is null or i.uitschrijfdatum >= make_date(d.jaar, 1, 1))
    group by all
),
contacten as (
    select r.actueel as gemeentecode, d.jaar, r.mantelzorger_id,
           count(distinct (r.ondersteuningsvorm, r.contactdatum)) as contacten
    from rijen as r
    join dekking as d
      on d.bron = 'mantelzorg' and d.bestand = r.bestand and d.gemeentecode = r.actueel
     and d.jaar = year(r.contactdatum)
    where r.registratiedatum <= make_date(d.jaar, 12, 31)
      and (r.uitschrijfdatum is null or r.uitschrijfdatum >= make_date(d.jaar, 1, 1))
    group by all
)
select p.gemeentecode, p.jaar, p.mantelzorger_id, p.gewicht, coalesce(c.contacten, 0) as contacten
from personen as p
left join contacten as c using (gemeentecode, jaar, mantelzorger_id);

-- ------------------------------------------------------------------ enquête: respondenten met hun y per indicator
create or replace temp macro geldig(x, k) as case when x between 1 and k then x end;
create or replace temp macro score(x, k) as coalesce((k - x) / (k - 1.0), 0);

-- één rij per respondent: gewicht geschaald naar de volwassen bevolking van de aanleverende gemeente
-- (stratum), en per indicator de waarde y (leeg als de respondent niet meetelt)
create or replace temp table respondenten as
with e as (
    select bestand, respondent, gemeentecode, jaar, weging,
           sum(weging) over (partition by gemeentecode, jaar) as som_weging,
           geldig(zw06_0, 3) as zw06_0, geldig(zw06_1, 3) as zw06_1, geldig(zw06_2, 3) as zw06_2,
           geldig(zw06_3, 3) as zw06_3, geldig(zw09, 4) as zw09,
           geldig(zw10_0, 3) as zw10_0, geldig(zw10_1, 3) as zw10_1, geldig(zw10_2, 3) as zw10_2,
           geldig(zw03, 3) as zw03, geldig(zw04, 4) as zw04, geldig(zw01_5, 4) as zw01_5,
           geldig(wl02_0, 5) as wl02_0, geldig(wl02_1, 5) as wl02_1, geldig(wl03_0, 5) as wl03_0,
           geldig(wl03_1, 5) as wl03_1, geldig(wl03_2, 5) as wl03_2, geldig(wl13, 3) as wl13,
           geldig(vz03_1, 5) as vz03_1, geldig(vz03_6, 5) as vz03_6
    from enquete
),
a as (
    -- aantal beantwoorde items per schaal
    select *,
           (zw10_0 is not null)::int + (zw10_1 is not null)::int + (zw10_2 is not null)::int as a_vangnet,
           (zw03 is not null)::int + (zw04 is not null)::int + (zw01_5 is not null)::int as a_relaties,
           (wl02_0 is not null)::int + (wl02_1 is not null)::int + (wl03_0 is not null)::int
               + (wl03_1 is not null)::int + (wl03_2 is not null)::int as a_buurt,
           (zw06_1 is not null)::int + (zw06_2 is not null)::int + (wl03_1 is not null)::int as a_samen
    from e
)
select a.bestand, a.respondent, a.gemeentecode as stratum, a.jaar,
       a.weging * coalesce(b.inwoners_18plus, b.inwoners, a.som_weging) / a.som_weging as w,
       case when zw06_0 is not null then (zw06_0 in (1, 2))::double end as p_mantelzorg_geven,
       case when zw06_0 in (1, 2) and zw09 is not null then (zw09 in (3, 4))::double end
           as p_mantelzorg_zwaar_belast,
       case when zw06_3 is not null then (zw06_3 in (1, 2))::double end as g_vrijwilligerswerk,
       case when wl13 is not null then (wl13 in (1, 2))::double end as g_actief_voor_buurt,
       case when vz03_1 is not null then (vz03_1 in (1, 2))::double end as i_tevreden_welzijn,
       case when vz03_6 is not null then (vz03_6 in (1, 2))::double end as i_tevreden_ontmoeting,
       case when a_vangnet >= 2 then
           10.0 * (score(zw10_0, 3) + score(zw10_1, 3) + score(zw10_2, 3)) / a_vangnet end as p_sociaal_vangnet,
       case when a_relaties >= 2 then
           10.0 * (score(zw03, 3) + score(zw04, 4) + score(zw01_5, 4)) / a_relaties end as p_sociale_relaties,
       case when a_buurt >= 3 then
           10.0 * (score(wl02_0, 5) + score(wl02_1, 5) + score(wl03_0, 5) + score(wl03_1, 5) + score(wl03_2, 5))
           / a_buurt end as g_verbondenheid_buurt,
       case when a_samen >= 2 then
           10.0 * (score(zw06_1, 3) + score(zw06_2, 3) + score(wl03_1, 5)) / a_samen end as g_samenredzaamheid
from a
left join bevolking as b on b.gemeentecode = a.gemeentecode and b.jaar = a.jaar;

-- lang: één rij per respondent en indicator met een waarde (unpivot laat lege y weg)
create or replace temp table antwoorden as
unpivot respondenten
on p_mantelzorg_geven, p_mantelzorg_zwaar_belast, g_vrijwilligerswerk, g_actief_voor_buurt,
   i_tevreden_welzijn, i_tevreden_ontmoeting, p_sociaal_vangnet, p_sociale_relaties,
   g_verbondenheid_buurt, g_samenredzaamheid
into name indicator value y;

-- gewogen gemiddelde per gemeente (huidige kaart) met de linearisatie-standaardfout van svyby (R survey):
-- strata = aanleverende gemeente x jaar; een gesplitste gemeente telt met haar aandeel in elk domein mee
create or replace temp table enquete_schattingen as
with domein as (
    select a.indicator, a.stratum, a.jaar, a.y, k.actueel as gemeentecode, a.w * k.aandeel as w
    from antwoorden as a
    join kaart as k on k.code = a.stratum
),
schatting as (
    select indicator, gemeentecode, jaar, sum(w * y) as teller, sum(w) as noemer, count(*) as n,
           sum(w * y) / sum(w) as m
    from domein
    group by all
),
strata as (
    -- steekproefomvang: respondenten met een geldige waarde in het stratum
    select indicator, stratum, jaar, count(*) as n_h from antwoorden group by all
),
residuen as (
    select d.indicator, d.gemeentecode, d.jaar, d.stratum,
           sum(d.w * (d.y - s.m) / s.noemer) as s1,
           sum(power(d.w * (d.y - s.m) / s.noemer, 2)) as s2
    from domein as d
    join schatting as s using (indicator, gemeentecode, jaar)
    group by all
),
variantie as (
    select r.indicator, r.gemeentecode, r.jaar,
           sum(h.n_h / (h.n_h - 1.0) * (r.s2 - r.s1 * r.s1 / h.n_h)) as var,
           min(h.n_h) as kleinste_stratum
    from residuen as r
    join strata as h using (indicator, stratum, jaar)
    group by all
)
select s.indicator, s.gemeentecode, s.jaar, s.teller, s.noemer, s.n, s.m as schatting,
       case when v.kleinste_stratum > 1 then sqrt(greatest(v.var, 0)) end as se
from schatting as s
join variantie as v using (indicator, gemeentecode, jaar);

-- ------------------------------------------------------------------ alle waarnemingen (basiseenheid, vóór onderdrukking)
create or replace temp table waarnemingen as
with tellingen as (
    select 'i_deelnames_per_1000' as indicator, gemeentecode, jaar, sum(deelnames) as teller
    from deelname_jaar group by all
    union all
    select 'i_unieke_deelnemers_per_1000', gemeentecode, jaar, sum(unieke)
    from deelname_jaar group by all having bool_and(unieke_volledig)
    union all
    select 'i_activiteiten_per_10000', gemeentecode, jaar, sum(gewicht) from activiteit_jaar group by all
    union all
    select 'g_vrijwilligers_per_1000', gemeentecode, jaar, sum(gewicht) from vrijwilligers_jaar group by all
    union all
    select 'p_mantelzorgers_per_1000', gemeentecode, jaar, sum(gewicht) from mantelzorgers_jaar group by all
),
mz as (
    select gemeentecode, jaar, sum(gewicht) as ingeschreven,
           sum(gewicht * (contacten > 0)::int) as ondersteund,
           sum(gewicht * contacten) as contacten, count(*) as personen
    from mantelzorgers_jaar group by all
),
behoud as (
    select v.gemeentecode, v.jaar + 1 as jaar, sum(v.gewicht) as vorig_jaar,
           sum(v.gewicht * (nu.vrijwilliger_id is not null)::int) as gebleven, count(*) as personen
    from vrijwilligers_jaar as v
    left join vrijwilligers_jaar as nu
      on nu.gemeentecode = v.gemeentecode and nu.jaar = v.jaar + 1 and nu.vrijwilliger_id = v.vrijwilliger_id
    -- alleen als het register ook het jaar erna beschrijft
    where exists (select 1 from dekking as d
                  where d.bron = 'vrijwilligers' and d.gemeentecode = v.gemeentecode and d.jaar = v.jaar + 1)
    group by all
),
duur as (
    -- mediaan met het verdelingsvrije interval op rangnummers: n/2 -/+ 1,96 * sqrt(n) / 2
    select gemeentecode, jaar, n, mediaan,
           d[greatest(1, floor(n / 2.0 - 1.959963984540054 * sqrt(n) / 2))::bigint] as onder,
           d[least(n, ceil(n / 2.0 + 1.959963984540054 * sqrt(n) / 2) + 1)::bigint] as boven
    from (
        select gemeentecode, jaar, count(*) as n, median(duur) as mediaan, list(duur order by duur) as d
        from vrijwilligers_jaar
        group by all
    )
),
deelname_jaren as (select distinct gemeentecode, jaar from deelname_jaar),
continuiteit as (
    select a.gemeentecode, a.jaar,
           sum(a.gewicht * (v1.activiteit_id is not null and v2.activiteit_id is not null)::int) as lopend,
           sum(a.gewicht) as actief, count(*) as n
    from activiteit_jaar as a
    join deelname_jaren as d1 on d1.gemeentecode = a.gemeentecode and d1.jaar = a.jaar - 1
    join deelname_jaren as d2 on d2.gemeentecode = a.gemeentecode and d2.jaar = a.jaar - 2
    left join activiteit_jaar as v1
      on v1.gemeentecode = a.gemeentecode and v1.activiteit_id = a.activiteit_id and v1.jaar = a.jaar - 1
    left join activiteit_jaar as v2
      on v2.gemeentecode = a.gemeentecode and v2.activiteit_id = a.activiteit_id and v2.jaar = a.jaar - 2
    group by all
),
wijk_dekking as (
    -- gemeente-jaren waarin minstens 90% van de deelnames een CBS-wijkcode (2022) van de gemeente heeft
    select d.gemeentecode, d.jaar
    from deelname_jaar as d
    left join wijken as w on w.gemeentecode = d.gemeentecode and w.wijkcode = d.wijkcode
    group by all
    having sum(d.deelnames) filter (where w.wijkcode is not null) >= 0.9 * sum(d.deelnames)
       and sum(d.deelnames) > 0
),
wijk_deelname as (
    select w.gemeentecode, j.jaar, w.wijkcode, coalesce(sum(d.deelnames), 0) as deelnames
    from wijken as w
    join wijk_dekking as j using (gemeentecode)
    left join deelname_jaar as d
      on d.gemeentecode = w.gemeentecode and d.jaar = j.jaar and d.wijkcode = w.wijkcode
    group by all
),
spreiding as (
    select gemeentecode, jaar, count(*) as wijken, count(*) filter (where deelnames > 0) as met_activiteit,
           case when sum(deelnames) > 0 then
               2.0 * sum(rang * deelnames) / (count(*) * sum(deelnames)) - (count(*) + 1.0) / count(*)
           end as gini
    from (
        select *, row_number() over (partition by gemeentecode, jaar order by deelnames) as rang
        from wijk_deelname
    )
    group by all
)
select indicator, gemeentecode, jaar, teller, noemer, n, schatting, se,
       null::double as ci_onder_basis, null::double as ci_boven_basis
from enquete_schattingen
union all
select t.indicator, t.gemeentecode, t.jaar, t.teller, i.inwoners, round(t.teller)::bigint,
       t.teller / i.inwoners, sqrt(t.teller) / i.inwoners, null, null
from tellingen as t
join inwoners as i using (gemeentecode, jaar)
union all
select 'p_mantelzorgers_ondersteund', gemeentecode, jaar, ondersteund, ingeschreven, personen,
       ondersteund / ingeschreven,
       sqrt((ondersteund / ingeschreven) * (1 - ondersteund / ingeschreven) / ingeschreven), null, null
from mz
union all
select 'i_contacten_per_mantelzorger', gemeentecode, jaar, contacten, ingeschreven, personen,
       contacten / ingeschreven, sqrt(contacten) / ingeschreven, null, null
from mz
union all
select 'g_vrijwilligers_behoud', gemeentecode, jaar, gebleven, vorig_jaar, personen,
       gebleven / vorig_jaar, sqrt((gebleven / vorig_jaar) * (1 - gebleven / vorig_jaar) / vorig_jaar), null, null
from behoud
union all
select 'g_inzetduur_mediaan', gemeentecode, jaar, null, n, n, mediaan,
       (boven - onder) / (2 * 1.959963984540054), onder, boven
from duur
union all
select 'i_continuiteit_activiteiten', gemeentecode, jaar, lopend, actief, n, lopend / actief,
       sqrt((lopend / actief) * (1 - lopend / actief) / actief), null, null
from continuiteit
union all
select 'i_wijken_met_activiteit', gemeentecode, jaar, met_activiteit, wijken, wijken, met_activiteit / wijken,
       sqrt((met_activiteit / wijken) * (1 - met_activiteit / wijken) / wijken), null, null
from spreiding
union all
select 'i_gini_deelname_wijken', gemeentecode, jaar, null, wijken, wijken, gini, null, null, null
from spreiding
where gini is not null;

-- ------------------------------------------------------------------ publicatie: schaal, 95%-interval, onderdrukking
with w as (
    select o.*, c.schaal, c.intervalmethode, o.n < c.minimum_n as onderdrukt,
           -- effectieve steekproefomvang voor Wilson (gewogen: Kish via de standaardfout)
           case when o.se > 0 then o.schatting * (1 - o.schatting) / (o.se * o.se) else o.n end as n_eff
    from waarnemingen as o
    join catalogus as c using (indicator)
),
interval as (
    select *,
           case intervalmethode
               when 'wilson' then case when n_eff > 0 then
                   (schatting + 1.959963984540054 ^ 2 / (2 * n_eff)
                    - 1.959963984540054 * sqrt(schatting * (1 - schatting) / n_eff
                                               + 1.959963984540054 ^ 2 / (4 * n_eff ^ 2)))
                   / (1 + 1.959963984540054 ^ 2 / n_eff) end
               when 'poisson' then case when teller = 0 then 0.0 else
                   teller * power(1 - 1 / (9.0 * teller) - 1.959963984540054 / (3 * sqrt(teller)), 3) end / noemer
               when 'normaal' then schatting - 1.959963984540054 * se
               else ci_onder_basis
           end as onder,
           case intervalmethode
               when 'wilson' then case when n_eff > 0 then
                   (schatting + 1.959963984540054 ^ 2 / (2 * n_eff)
                    + 1.959963984540054 * sqrt(schatting * (1 - schatting) / n_eff
                                               + 1.959963984540054 ^ 2 / (4 * n_eff ^ 2)))
                   / (1 + 1.959963984540054 ^ 2 / n_eff) end
               when 'poisson' then
                   (teller + 1) * power(1 - 1 / (9.0 * (teller + 1)) + 1.959963984540054 / (3 * sqrt(teller + 1)), 3)
                   / noemer
               when 'normaal' then schatting + 1.959963984540054 * se
               else ci_boven_basis
           end as boven
    from w
)
select gemeentecode, jaar::integer as jaar, indicator,
       case when not onderdrukt then teller end::double as teller,
       case when not onderdrukt then noemer end::double as noemer,
       case when not onderdrukt then n end::bigint as n,
       case when not onderdrukt then schatting * schaal end::double as waarde,
       case when not onderdrukt then se * schaal end::double as se,
       case when not onderdrukt and onder is not null then least(greatest(onder, 0), schatting) * schaal end::double
           as ci_onder,
       case when not onderdrukt then greatest(boven, schatting) * schaal end::double as ci_boven,
       onderdrukt
from interval
order by gemeentecode, jaar, indicator;
