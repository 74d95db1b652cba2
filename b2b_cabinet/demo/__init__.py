"""Demo data for wagtail-b2b-cabinet.

``b2b_cabinet.demo.catalogue`` writes a deterministic CommerceML 2.07 package (``import.xml`` and
``offers.xml``, shaped like a 1C:Trade Management 11 export) for an electrical-goods distributor,
for the demo site, the import tests and the 150,000-product benchmark. It and its helper modules
(``catalogue_content``, ``catalogue_synth``, ``catalogue_xml``) need neither Django nor a database.
"""
