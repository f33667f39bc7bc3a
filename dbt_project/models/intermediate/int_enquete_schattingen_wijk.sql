-- Enquête-indicatoren per wijk (CBS-wijkindeling 2022, zoals de respondent is aangeleverd) en jaar: dezelfde
-- schatter als per gemeente (macro enquete_schattingen), met de wijk als domein binnen de strata aanleverende
-- gemeente x jaar (svyby(~y, ~wijk, design)). Respondenten zonder wijkcode tellen mee in de stratumomvang maar
-- in geen enkele wijk.
{{ enquete_schattingen(['gemeentecode', 'wijkcode']) }}
