-- De leveringen die meetellen: geaccepteerd en niet vervangen door een correctie.
select levering_id, bron, bestandsnaam, sha256, ontvangen_op
from {{ source('kwaliteit', 'leveringen') }}
where status = 'geaccepteerd'
