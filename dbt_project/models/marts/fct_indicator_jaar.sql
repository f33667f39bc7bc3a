-- Eén rij per gemeente (huidige kaart), jaar en indicator, met 95%-interval en onderdrukking (macro
-- gepubliceerde_cijfers: schaal, intervalmethode en minimum n uit de catalogus; onder het minimum zijn teller,
-- noemer, n, waarde, standaardfout en interval leeg).
{{ gepubliceerde_cijfers(ref('int_indicator_waarnemingen'), ['gemeentecode']) }}
