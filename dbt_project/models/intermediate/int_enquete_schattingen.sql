-- Enquête-indicatoren per gemeente (huidige kaart) en jaar: gewogen gemiddelde met de linearisatie-standaardfout
-- van svymean / svyby (R survey), gestratificeerd naar aanleverende gemeente x jaar; zie de macro
-- enquete_schattingen. Voor een gemeente zonder voorgangers (één stratum) is de variantie
-- (1 - n/N) * n/(n-1) * sum((w (y - m))^2) / (sum w)^2, met N de volwassen inwoners (eindigepopulatiecorrectie;
-- zonder bekende N valt de factor weg).
{{ enquete_schattingen(['gemeentecode']) }}
