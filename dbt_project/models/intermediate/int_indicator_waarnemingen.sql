-- Per indicator, gemeente (huidige kaart) en jaar: teller, noemer, n, schatting en standaardfout in de
-- basiseenheid (een aandeel als fractie, een telling per inwoner), vóór onderdrukking. De catalogus
-- (seeds/indicatoren.csv) bepaalt de schaal, de intervalmethode en het minimum n (fct_indicator_jaar).
-- Alleen voor de methode 'gegeven' levert dit model het interval zelf (ci_onder_basis, ci_boven_basis).
-- `dekking` is het deel van de inwoners van het huidige gebied dat voor de bron van de indicator leverde en
-- `dekking_ontbrekend` de delen die niet leverden (int_dekking); een telling per inwoner deelt door de inwoners
-- van het geleverde deel, niet door het hele gebied, en vervalt als dat deel onbekend is.
with bevolking as (
    select gemeentecode, jaar, inwoners, bron_leveringen from {{ ref('int_bevolking_jaar') }}
),

dekking as (
    select bron, gemeentecode, jaar, dekking, dekking_ontbrekend from {{ ref('int_dekking') }}
),

-- ------------------------------------------------------------------ enquête (gewogen, R survey-methode)
enquete as (
    select indicator_code, gemeentecode, jaar, teller, noemer, n, schatting, se,
           null::double as ci_onder_basis, null::double as ci_boven_basis, bron_leveringen
    from {{ ref('int_enquete_schattingen') }}
),

-- ------------------------------------------------------------------ herkomst van de registers
-- De leveringen van een register (vrijwilligers, mantelzorg) die een gemeente-jaar beschrijven; ook een
-- levering zonder iemand die dat jaar actief was, bepaalt het cijfer (zij zegt: nul).
register_herkomst as (
    select bron, gemeentecode, jaar, list(distinct levering_id order by levering_id) as bron_leveringen
    from {{ ref('int_register_dekking') }}
    group by all
),

-- ------------------------------------------------------------------ activiteiten met deelnames per jaar
activiteit_jaar as (
    select gemeentecode, jaar, activiteit_id, max(gewicht) as gewicht
    from {{ ref('int_deelname_activiteit_jaar') }}
    group by all
    having sum(deelnames) > 0
),

-- herkomst van de deelnamecijfers per gemeente-jaar, uit één lange tabel (activiteit-jaar x levering) in
-- plaats van lijsten van lijsten samen te voegen: de leveringen achter alle rijen, achter de activiteiten met
-- deelnames, en achter de rijen met een wijkcode van de gemeente (voor de spreiding over wijken)
deelname_leveringen as (
    select gemeentecode, jaar, activiteit_id, wijkcode, unnest(bron_leveringen) as levering_id
    from {{ ref('int_deelname_activiteit_jaar') }}
),

deelname_herkomst as (
    select gemeentecode, jaar, list(distinct levering_id order by levering_id) as bron_leveringen
    from deelname_leveringen
    group by all
),

activiteit_herkomst as (
    select l.gemeentecode, l.jaar, list(distinct l.levering_id order by l.levering_id) as bron_leveringen
    from deelname_leveringen as l
    semi join activiteit_jaar as a using (gemeentecode, jaar, activiteit_id)
    group by all
),

-- ------------------------------------------------------------------ mantelzorgondersteuning
mantelzorg as (
    select m.*, h.bron_leveringen
    from (
        select gemeentecode, jaar,
               sum(gewicht) as ingeschreven,
               sum(gewicht * (contacten > 0)::int) as ondersteund,
               sum(gewicht * contacten) as contacten,
               -- voor de dispersie van het aantal contacten per mantelzorger (quasi-Poisson)
               sum(gewicht * contacten * contacten) as contacten_kwadraat,
               count(*) as personen
        from {{ ref('int_mantelzorgers_jaar') }}
        group by all
    ) as m
    left join register_herkomst as h
        on h.bron = 'mantelzorg' and h.gemeentecode = m.gemeentecode and h.jaar = m.jaar
),

-- ------------------------------------------------------------------ tellingen per inwoner (Poisson)
tellingen as (
    select d.indicator_code, d.gemeentecode, d.jaar, d.teller, h.bron_leveringen
    from (
        select 'i_deelnames_per_1000' as indicator_code, gemeentecode, jaar, sum(deelnames) as teller
        from {{ ref('int_deelname_activiteit_jaar') }}
        group by all
        union all
        -- unieke deelnemers alleen als elke rij van dat gemeente-jaar ze heeft
        select 'i_unieke_deelnemers_per_1000', gemeentecode, jaar, sum(unieke_deelnemers)
        from {{ ref('int_deelname_activiteit_jaar') }}
        group by all
        having bool_and(unieke_volledig)
    ) as d
    left join deelname_herkomst as h using (gemeentecode, jaar)
    union all
    select 'i_activiteiten_per_10000', a.gemeentecode, a.jaar, a.teller, h.bron_leveringen
    from (select gemeentecode, jaar, sum(gewicht) as teller from activiteit_jaar group by all) as a
    left join activiteit_herkomst as h using (gemeentecode, jaar)
    union all
    select 'g_vrijwilligers_per_1000', v.gemeentecode, v.jaar, v.teller, h.bron_leveringen
    from (
        select gemeentecode, jaar, sum(gewicht) as teller from {{ ref('int_vrijwilligers_jaar') }} group by all
    ) as v
    left join register_herkomst as h
        on h.bron = 'vrijwilligers' and h.gemeentecode = v.gemeentecode and h.jaar = v.jaar
    union all
    select 'p_mantelzorgers_per_1000', gemeentecode, jaar, ingeschreven, bron_leveringen
    from mantelzorg
),

per_inwoner as (
    -- noemer: de inwoners van het deel van het gebied dat leverde (zonder dekkingsgegevens het hele gebied; is het
    -- geleverde deel onbekend, dan geen cijfer)
    select t.indicator_code, t.gemeentecode, t.jaar, t.teller, b.inwoners * coalesce(d.dekking, 1) as noemer,
           cast(round(t.teller) as bigint) as n,
           t.teller / (b.inwoners * coalesce(d.dekking, 1)) as schatting,
           sqrt(t.teller) / (b.inwoners * coalesce(d.dekking, 1)) as se,
           null::double as ci_onder_basis, null::double as ci_boven_basis,
           list_sort(list_distinct(list_concat(t.bron_leveringen, b.bron_leveringen))) as bron_leveringen
    from tellingen as t
    inner join bevolking as b using (gemeentecode, jaar)
    inner join {{ ref('indicatoren') }} as c on c.code = t.indicator_code
    left join dekking as d on d.bron = c.bron and d.gemeentecode = t.gemeentecode and d.jaar = t.jaar
    where d.bron is null or d.dekking is not null
),

mantelzorg_indicatoren as (
    select 'p_mantelzorgers_ondersteund' as indicator_code, gemeentecode, jaar,
           ondersteund as teller, ingeschreven as noemer, personen as n,
           ondersteund / ingeschreven as schatting,
           {{ se_aandeel('ondersteund / ingeschreven', 'ingeschreven') }} as se,
           null::double as ci_onder_basis, null::double as ci_boven_basis,
           bron_leveringen
    from mantelzorg
    union all
    -- contacten zijn herhaalde gebeurtenissen bij dezelfde mantelzorgers: se = √(φ · contacten) / ingeschreven met
    -- de dispersie φ = variantie / gemiddelde van het aantal contacten per mantelzorger (minstens 1; quasi-Poisson,
    -- macro quasipoisson_dispersie); zonder schatting (hoogstens één mantelzorger, geen contacten) φ = 1
    select 'i_contacten_per_mantelzorger', gemeentecode, jaar,
           contacten, ingeschreven, personen,
           contacten / ingeschreven,
           sqrt(
               coalesce({{ quasipoisson_dispersie('ingeschreven', 'contacten', 'contacten_kwadraat') }}, 1.0)
               * contacten
           ) / ingeschreven,
           null, null, bron_leveringen
    from mantelzorg
),

-- ------------------------------------------------------------------ vrijwilligers: behoud en inzetduur
behoud as (
    select v.gemeentecode, v.jaar + 1 as jaar,
           sum(v.gewicht) as vorig_jaar,
           sum(v.gewicht * (nu.vrijwilliger_pseudoniem is not null)::int) as gebleven,
           count(*) as personen
    from {{ ref('int_vrijwilligers_jaar') }} as v
    left join {{ ref('int_vrijwilligers_jaar') }} as nu
        on nu.gemeentecode = v.gemeentecode and nu.jaar = v.jaar + 1
        and nu.vrijwilliger_pseudoniem = v.vrijwilliger_pseudoniem
    -- alleen als het register ook het jaar erna beschrijft
    where exists (
        select 1 from {{ ref('int_register_dekking') }} as d
        where d.bron = 'vrijwilligers' and d.gemeentecode = v.gemeentecode and d.jaar = v.jaar + 1
    )
    group by all
),

duur as (
    {{ inzetduur_mediaan(ref('int_vrijwilligers_jaar'), 'jaar') }}
),

vrijwilligers_indicatoren as (
    -- behoud rust op het register van het jaar ervoor en van het jaar zelf
    select 'g_vrijwilligers_behoud' as indicator_code, b.gemeentecode, b.jaar,
           b.gebleven as teller, b.vorig_jaar as noemer, b.personen as n,
           b.gebleven / b.vorig_jaar as schatting,
           {{ se_aandeel('b.gebleven / b.vorig_jaar', 'b.vorig_jaar') }} as se,
           null::double as ci_onder_basis, null::double as ci_boven_basis,
           list_sort(list_distinct(list_concat(h0.bron_leveringen, h1.bron_leveringen))) as bron_leveringen
    from behoud as b
    left join register_herkomst as h0
        on h0.bron = 'vrijwilligers' and h0.gemeentecode = b.gemeentecode and h0.jaar = b.jaar - 1
    left join register_herkomst as h1
        on h1.bron = 'vrijwilligers' and h1.gemeentecode = b.gemeentecode and h1.jaar = b.jaar
    union all
    select 'g_inzetduur_mediaan', d.gemeentecode, d.jaar, null, d.n, d.n, d.mediaan,
           (d.boven - d.onder) / (2 * 1.959963984540054), d.onder, d.boven, h.bron_leveringen
    from duur as d
    left join register_herkomst as h
        on h.bron = 'vrijwilligers' and h.gemeentecode = d.gemeentecode and h.jaar = d.jaar
),

-- ------------------------------------------------------------------ activiteiten: continuïteit en spreiding
deelname_jaren as (
    select distinct gemeentecode, jaar from {{ ref('int_deelname_activiteit_jaar') }}
),

continuiteit as (
    select c.*, h.bron_leveringen
    from (
        select a.gemeentecode, a.jaar,
               sum(a.gewicht * (v1.activiteit_id is not null and v2.activiteit_id is not null)::int) as lopend,
               sum(a.gewicht) as actief,
               count(*) as n
        from activiteit_jaar as a
        inner join deelname_jaren as d1 on d1.gemeentecode = a.gemeentecode and d1.jaar = a.jaar - 1
        inner join deelname_jaren as d2 on d2.gemeentecode = a.gemeentecode and d2.jaar = a.jaar - 2
        left join activiteit_jaar as v1
            on v1.gemeentecode = a.gemeentecode and v1.activiteit_id = a.activiteit_id and v1.jaar = a.jaar - 1
        left join activiteit_jaar as v2
            on v2.gemeentecode = a.gemeentecode and v2.activiteit_id = a.activiteit_id and v2.jaar = a.jaar - 2
        group by all
    ) as c
    left join activiteit_herkomst as h using (gemeentecode, jaar)
),

wijken as (
    select a.actuele_gemeentecode as gemeentecode, w.wijkcode
    from {{ ref('ref_wijken') }} as w
    inner join {{ ref('int_gemeente_actueel') }} as a on a.gemeentecode = w.gemeentecode
    where a.aandeel = 1
),

wijk_dekking as (
    -- gemeente-jaren waarin minstens 90% van de deelnames een wijkcode uit de CBS-wijkindeling 2022 heeft;
    -- een voorganger die zonder (of met oude) wijkcodes leverde, geeft geen spreidingscijfer
    select d.gemeentecode, d.jaar
    from {{ ref('int_deelname_activiteit_jaar') }} as d
    left join wijken as w on w.gemeentecode = d.gemeentecode and w.wijkcode = d.wijkcode
    group by all
    having sum(d.deelnames) filter (where w.wijkcode is not null) >= 0.9 * sum(d.deelnames)
       and sum(d.deelnames) > 0
),

wijk_deelname as (
    -- alle wijken van de gemeente, ook zonder deelnames (0), voor elk jaar met deelnamegegevens
    select w.gemeentecode, j.jaar, w.wijkcode, coalesce(sum(d.deelnames), 0) as deelnames
    from wijken as w
    inner join wijk_dekking as j using (gemeentecode)
    left join {{ ref('int_deelname_activiteit_jaar') }} as d
        on d.gemeentecode = w.gemeentecode and d.jaar = j.jaar and d.wijkcode = w.wijkcode
    group by all
),

wijk_herkomst as (
    -- de leveringen achter de rijen met een wijkcode van de gemeente
    select l.gemeentecode, l.jaar, list(distinct l.levering_id order by l.levering_id) as bron_leveringen
    from deelname_leveringen as l
    semi join wijken as w using (gemeentecode, wijkcode)
    group by all
),

spreiding as (
    select s.*, h.bron_leveringen
    from (
        select gemeentecode, jaar,
               count(*) as wijken,
               count(*) filter (where deelnames > 0) as met_activiteit,
               {{ gini('deelnames', 'rang', 'count(*)') }} as gini
        from (
            select *, row_number() over (partition by gemeentecode, jaar order by deelnames) as rang
            from wijk_deelname
        )
        group by all
    ) as s
    left join wijk_herkomst as h using (gemeentecode, jaar)
),

deelname_indicatoren as (
    select 'i_continuiteit_activiteiten' as indicator_code, gemeentecode, jaar,
           lopend as teller, actief as noemer, n,
           lopend / actief as schatting,
           {{ se_aandeel('lopend / actief', 'actief') }} as se,
           null::double as ci_onder_basis, null::double as ci_boven_basis, bron_leveringen
    from continuiteit
    union all
    select 'i_wijken_met_activiteit', gemeentecode, jaar,
           met_activiteit, wijken, wijken,
           met_activiteit / wijken, {{ se_aandeel('met_activiteit / wijken', 'wijken') }},
           null, null, bron_leveringen
    from spreiding
    union all
    select 'i_gini_deelname_wijken', gemeentecode, jaar, null, wijken, wijken, gini, null, null, null,
           bron_leveringen
    from spreiding
    where gini is not null
),

alle as (
    select * from enquete
    union all by name select * from per_inwoner
    union all by name select * from mantelzorg_indicatoren
    union all by name select * from vrijwilligers_indicatoren
    union all by name select * from deelname_indicatoren
)

-- zonder dekkingsgegevens (geen levering bekend in int_dekking) geldt de cel als volledig
select
    a.*,
    case when d.bron is null then 1.0 else d.dekking end as dekking,
    coalesce(d.dekking_ontbrekend, []::varchar[]) as dekking_ontbrekend
from alle as a
inner join {{ ref('indicatoren') }} as c on c.code = a.indicator_code
left join dekking as d on d.bron = c.bron and d.gemeentecode = a.gemeentecode and d.jaar = a.jaar
