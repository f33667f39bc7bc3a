-- Inwoners per gemeente (indeling van dat jaar) op 1 januari.
select b.levering_id, b.gemeentecode, b.jaar, b.inwoners, b.inwoners_18plus
from {{ source('raw', 'bevolking') }} as b
inner join {{ ref('stg_kwaliteit__geldige_leveringen') }} as l using (levering_id)
