package piaflow.rules.dpia_test

import data.piaflow.fixtures
import data.piaflow.rules.dpia

# result comes from dpia_test.rego (same package).

finding_ids(x) := ids if {
	ids := fixtures.ids(dpia.findings) with input as x
}

# inp: a controller established in country (vendor there too) with one activity of 500
# customers there, patched.
inp(country, act, dep) := fixtures.input_with({
	"deployment": object.union({"customer_country": country, "vendor_country": country}, dep),
	"activities": [object.union_n([fixtures.activity, {"data_subjects": [fixtures.subjects("customers", [country], 500)]}, act])],
})

big(country, type) := {"data_subjects": [fixtures.subjects(type, [country], 20000)]}

few(country, type) := {"data_subjects": [fixtures.subjects(type, [country], 500)]}

# hit_items(x, list): the item ids of the list that hold (a two_or_more entry names several).
hit_items(x, list) := {id |
	some h in result(x).lists
	h.list == list
	some id in split(h.item, " + ")
}

# One case per encoded item: the answers that make it hold.
cases := [
	# ICO (UK GDPR)
	["uk_ico", "innovative_technology", inp("GB", {"innovative_technology": true, "evaluation_or_scoring": true}, {})],
	["uk_ico", "denial_of_service", inp("GB", {"prevents_rights_or_service": true, "automated_decisions": true}, {})],
	["uk_ico", "large_scale_profiling", inp("GB", object.union(big("GB", "customers"), {"evaluation_or_scoring": true}), {})],
	["uk_ico", "biometric", inp("GB", {"data_categories": ["biometric"], "innovative_technology": true}, {})],
	["uk_ico", "genetic", inp("GB", {"data_categories": ["genetic"], "combines_datasets": true}, {})],
	["uk_ico", "data_matching", inp("GB", {"combines_datasets": true}, {})],
	["uk_ico", "tracking", inp("GB", object.union(big("GB", "customers"), {"data_categories": ["location"]}), {})],
	["uk_ico", "children_profiling", inp("GB", object.union(few("GB", "children"), {"evaluation_or_scoring": true}), {})],
	["uk_ico", "vulnerable_profiling", inp("GB", {"automated_decisions": true, "data_subjects": [object.union(fixtures.subjects("customers", ["GB"], 500), {"vulnerable": true})]}, {})],
	# DPC (Ireland)
	["ie_dpc", "profiling_vulnerable", inp("IE", object.union(few("IE", "children"), {"evaluation_or_scoring": true}), {})],
	["ie_dpc", "access_or_legal_effects", inp("IE", {"prevents_rights_or_service": true, "evaluation_or_scoring": true}, {})],
	["ie_dpc", "systematic_monitoring", inp("IE", {"systematic_monitoring": true}, {})],
	["ie_dpc", "large_scale_profiling", inp("IE", object.union(big("IE", "customers"), {"evaluation_or_scoring": true}), {})],
	["ie_dpc", "biometric", inp("IE", {"data_categories": ["biometric"], "innovative_technology": true}, {})],
	["ie_dpc", "genetic", inp("IE", {"data_categories": ["genetic"], "combines_datasets": true}, {})],
	["ie_dpc", "combining_for_profiling", inp("IE", {"combines_datasets": true, "evaluation_or_scoring": true}, {})],
	["ie_dpc", "suitable_specific_measures", inp("IE", object.union(big("IE", "customers"), {"data_categories": ["criminal"]}), {})],
	# AP (Netherlands)
	["nl_ap", "credit_scores", inp("NL", object.union(big("NL", "customers"), {"evaluation_or_scoring": true, "data_categories": ["financial"]}), {})],
	["nl_ap", "financial_situation", inp("NL", object.union(big("NL", "customers"), {"data_categories": ["payment_card"]}), {})],
	["nl_ap", "genetic", inp("NL", {"data_categories": ["genetic"], "systematic_monitoring": true}, {})],
	["nl_ap", "health", inp("NL", object.union(big("NL", "patients"), {"data_categories": ["health"]}), {})],
	["nl_ap", "camera_surveillance", inp("NL", {"public_area_monitoring": true, "data_categories": ["images"]}, {})],
	["nl_ap", "employee_monitoring", inp("NL", object.union(few("NL", "employees"), {"systematic_monitoring": true}), {})],
	["nl_ap", "location_data", inp("NL", {"data_categories": ["location"], "systematic_monitoring": true}, {})],
	["nl_ap", "communication_data", inp("NL", object.union(big("NL", "customers"), {"data_categories": ["communications"]}), {})],
	["nl_ap", "internet_of_things", inp("NL", {"innovative_technology": true, "systematic_monitoring": true}, {})],
	["nl_ap", "profiling", inp("NL", {"evaluation_or_scoring": true, "systematic_monitoring": true}, {})],
	["nl_ap", "behaviour", inp("NL", {"data_categories": ["behavioural"], "systematic_monitoring": true}, {})],
	["nl_ap", "biometric", inp("NL", object.union(big("NL", "customers"), {"data_categories": ["biometric"]}), {})],
	# AEPD (Spain): two criteria; each paired with large-scale processing (or, for that one, profiling)
	["es_aepd", "profiling", inp("ES", object.union(big("ES", "customers"), {"evaluation_or_scoring": true}), {})],
	["es_aepd", "automated_decisions", inp("ES", object.union(big("ES", "customers"), {"automated_decisions": true}), {})],
	["es_aepd", "systematic_monitoring", inp("ES", object.union(big("ES", "customers"), {"systematic_monitoring": true}), {})],
	["es_aepd", "special_or_financial", inp("ES", object.union(big("ES", "customers"), {"data_categories": ["financial"]}), {})],
	["es_aepd", "biometric", inp("ES", object.union(big("ES", "customers"), {"data_categories": ["biometric"]}), {})],
	["es_aepd", "genetic", inp("ES", object.union(big("ES", "customers"), {"data_categories": ["genetic"]}), {})],
	["es_aepd", "large_scale", inp("ES", object.union(big("ES", "customers"), {"evaluation_or_scoring": true}), {})],
	["es_aepd", "combining", inp("ES", object.union(big("ES", "customers"), {"combines_datasets": true}), {})],
	["es_aepd", "vulnerable", inp("ES", object.union(big("ES", "children"), {}), {})],
	["es_aepd", "innovative_technology", inp("ES", object.union(big("ES", "customers"), {"innovative_technology": true}), {})],
	["es_aepd", "prevents_rights", inp("ES", object.union(big("ES", "customers"), {"prevents_rights_or_service": true}), {})],
	["es_aepd_exempt", "individual_professionals", inp("ES", {}, {"customer_type": "individual_practitioner"})],
	["es_aepd_exempt", "sme_personnel", inp("ES", object.union(few("ES", "employees"), {"legal_basis": "legal_obligation"}), {"customer_employees": 40})],
	# CNIL (France)
	["fr_cnil", "health_establishments", inp("FR", object.union(few("FR", "patients"), {"data_categories": ["health"]}), {"sector": "healthcare"})],
	["fr_cnil", "genetic_vulnerable", inp("FR", object.union(few("FR", "patients"), {"data_categories": ["genetic"]}), {})],
	["fr_cnil", "hr_profiling", inp("FR", object.union(few("FR", "employees"), {"evaluation_or_scoring": true}), {})],
	["fr_cnil", "employee_monitoring", inp("FR", object.union(few("FR", "employees"), {"systematic_monitoring": true}), {})],
	["fr_cnil", "profiling_exclusion", inp("FR", {"evaluation_or_scoring": true, "prevents_rights_or_service": true}, {})],
	["fr_cnil", "profiling_external_data", inp("FR", {"evaluation_or_scoring": true, "combines_datasets": true}, {})],
	["fr_cnil", "biometric_vulnerable", inp("FR", object.union(few("FR", "children"), {"data_categories": ["biometric"]}), {})],
	["fr_cnil", "large_scale_location", inp("FR", object.union(big("FR", "customers"), {"data_categories": ["precise_location"]}), {})],
	["fr_cnil_exempt", "hr_small", inp("FR", few("FR", "employees"), {"customer_employees": 120})],
	["fr_cnil_exempt", "patient_care_individual", inp("FR", object.union(few("FR", "patients"), {"data_categories": ["health"]}), {"customer_type": "individual_practitioner", "sector": "healthcare"})],
	# Garante (Italy)
	["it_garante", "large_scale_scoring", inp("IT", object.union(big("IT", "customers"), {"evaluation_or_scoring": true}), {})],
	["it_garante", "automated_decisions", inp("IT", {"automated_decisions": true, "decisions_legal_effect": true}, {})],
	["it_garante", "systematic_monitoring", inp("IT", {"systematic_monitoring": true}, {})],
	["it_garante", "large_scale_highly_personal", inp("IT", object.union(big("IT", "customers"), {"data_categories": ["communications"]}), {})],
	["it_garante", "employee_remote_monitoring", inp("IT", object.union(few("IT", "employees"), {"systematic_monitoring": true}), {})],
	["it_garante", "vulnerable", inp("IT", few("IT", "patients"), {})],
	["it_garante", "innovative_technology", inp("IT", {"innovative_technology": true, "combines_datasets": true}, {})],
	["it_garante", "interconnection", inp("IT", {"combines_datasets": true}, {})],
	["it_garante", "special_interconnected", inp("IT", {"data_categories": ["health"], "combines_datasets": true}, {})],
	["it_garante", "biometric", inp("IT", {"data_categories": ["biometric"]}, {})],
	["it_garante", "genetic", inp("IT", {"data_categories": ["genetic"]}, {})],
	# DSK (Germany, non-public sector)
	["de_dsk", "biometric", inp("DE", {"data_categories": ["biometric"], "innovative_technology": true}, {})],
	["de_dsk", "location_large_scale", inp("DE", object.union(big("DE", "customers"), {"data_categories": ["location"]}), {})],
	["de_dsk", "merging_for_decisions", inp("DE", object.union(big("DE", "customers"), {"combines_datasets": true, "prevents_rights_or_service": true}), {})],
	["de_dsk", "employee_behaviour", inp("DE", object.union(big("DE", "employees"), {"systematic_monitoring": true}), {})],
	["de_dsk", "comprehensive_profiles", inp("DE", {"evaluation_or_scoring": true, "data_categories": ["behavioural"]}, {})],
	["de_dsk", "big_data", inp("DE", object.union(big("DE", "customers"), {"combines_datasets": true}), {})],
	["de_dsk", "artificial_intelligence", inp("DE", {"innovative_technology": true}, {})],
	["de_dsk", "video_audio_personality", inp("DE", {"evaluation_or_scoring": true, "data_categories": ["images"]}, {})],
	["de_dsk", "movement_purchase_profiles", inp("DE", {"evaluation_or_scoring": true, "data_categories": ["precise_location"]}, {})],
	["de_dsk", "new_technology_performance", inp("DE", {"innovative_technology": true, "evaluation_or_scoring": true, "data_categories": ["health"]}, {})],
	# UODO (Poland): two criteria; each paired with processing that decides access to a service
	["pl_uodo", "evaluation", inp("PL", {"evaluation_or_scoring": true, "prevents_rights_or_service": true}, {})],
	["pl_uodo", "automated_decisions", inp("PL", {"automated_decisions": true, "decisions_legal_effect": true, "prevents_rights_or_service": true}, {})],
	["pl_uodo", "public_monitoring", inp("PL", object.union(big("PL", "customers"), {"public_area_monitoring": true, "prevents_rights_or_service": true}), {})],
	["pl_uodo", "biometric", inp("PL", {"data_categories": ["biometric"], "prevents_rights_or_service": true}, {})],
	["pl_uodo", "combining_sources", inp("PL", {"combines_datasets": true, "prevents_rights_or_service": true}, {})],
	["pl_uodo", "power_imbalance", inp("PL", object.union(few("PL", "employees"), {"prevents_rights_or_service": true}), {})],
	["pl_uodo", "innovative_technology", inp("PL", {"innovative_technology": true, "prevents_rights_or_service": true}, {})],
	["pl_uodo", "prevents_rights", inp("PL", {"prevents_rights_or_service": true, "combines_datasets": true}, {})],
	["pl_uodo", "location", inp("PL", {"data_categories": ["location"], "prevents_rights_or_service": true}, {})],
	# CPDP (Bulgaria)
	["bg_cpdp", "biometric_large_scale", inp("BG", object.union(big("BG", "customers"), {"data_categories": ["biometric"]}), {})],
	["bg_cpdp", "genetic_profiling", inp("BG", {"data_categories": ["genetic"], "evaluation_or_scoring": true, "decisions_legal_effect": true}, {})],
	["bg_cpdp", "location_profiling", inp("BG", {"data_categories": ["location"], "evaluation_or_scoring": true, "decisions_legal_effect": true}, {})],
	# CNPD (Luxembourg)
	["lu_cnpd", "biometric", inp("LU", {"data_categories": ["biometric"], "combines_datasets": true}, {})],
	["lu_cnpd", "combining_legal_effects", inp("LU", {"combines_datasets": true, "decisions_legal_effect": true}, {})],
	["lu_cnpd", "employee_monitoring", inp("LU", object.union(few("LU", "employees"), {"systematic_monitoring": true}), {})],
	["lu_cnpd", "location_tracking", inp("LU", {"data_categories": ["precise_location"], "systematic_monitoring": true}, {})],
	# VDAI (Lithuania)
	["lt_vdai", "biometric_monitoring_or_vulnerable", inp("LT", object.union(few("LT", "patients"), {"data_categories": ["biometric"]}), {})],
	["lt_vdai", "genetic_scoring", inp("LT", {"data_categories": ["genetic"], "evaluation_or_scoring": true}, {})],
	["lt_vdai", "innovative_vulnerable", inp("LT", object.union(few("LT", "children"), {"innovative_technology": true}), {})],
	["lt_vdai", "children_profiling", inp("LT", object.union(few("LT", "children"), {"evaluation_or_scoring": true}), {})],
	["lt_vdai", "employee_monitoring", inp("LT", object.union(few("LT", "employees"), {"systematic_monitoring": true}), {})],
	# DVI (Latvia)
	["lv_dvi", "surveillance", inp("LV", object.union(big("LV", "customers"), {"systematic_monitoring": true}), {})],
	["lv_dvi", "innovative_technology", inp("LV", {"innovative_technology": true, "combines_datasets": true}, {})],
	["lv_dvi", "employee_monitoring", inp("LV", object.union(few("LV", "employees"), {"systematic_monitoring": true}), {})],
	["lv_dvi", "large_scale_tracking", inp("LV", object.union(big("LV", "customers"), {"data_categories": ["location"]}), {})],
	["lv_dvi", "profiling_automated", inp("LV", {"evaluation_or_scoring": true}, {})],
	["lv_dvi", "biometric", inp("LV", {"data_categories": ["biometric"], "innovative_technology": true}, {})],
	# DSS (Liechtenstein)
	["li_dss", "innovative_technology", inp("LI", {"innovative_technology": true, "combines_datasets": true}, {})],
	["li_dss", "tracking", inp("LI", {"systematic_monitoring": true, "evaluation_or_scoring": true}, {})],
	["li_dss", "combining", inp("LI", {"combines_datasets": true, "evaluation_or_scoring": true}, {})],
	["li_dss", "denial_of_service", inp("LI", {"prevents_rights_or_service": true, "evaluation_or_scoring": true, "combines_datasets": true}, {})],
	["li_dss", "workplace_monitoring", inp("LI", object.union(few("LI", "employees"), {"systematic_monitoring": true}), {})],
	["li_dss", "biometric", inp("LI", {"data_categories": ["biometric"], "combines_datasets": true}, {})],
	["li_dss", "children_vulnerable", inp("LI", object.union(few("LI", "children"), {"evaluation_or_scoring": true}), {})],
	# NAIH (Hungary)
	["hu_naih", "biometric_monitoring", inp("HU", {"data_categories": ["biometric"], "systematic_monitoring": true}, {})],
	["hu_naih", "biometric_vulnerable", inp("HU", object.union(few("HU", "employees"), {"data_categories": ["biometric"]}), {})],
	["hu_naih", "scoring", inp("HU", {"evaluation_or_scoring": true, "prevents_rights_or_service": true}, {})],
	["hu_naih", "creditworthiness", inp("HU", object.union(big("HU", "customers"), {"evaluation_or_scoring": true, "data_categories": ["financial"]}), {})],
	["hu_naih", "solvency", inp("HU", {"evaluation_or_scoring": true, "systematic_monitoring": true, "data_categories": ["financial"]}, {})],
	["hu_naih", "third_party_data_decisions", inp("HU", {"collected_directly": false, "prevents_rights_or_service": true}, {})],
	["hu_naih", "students_assessment", inp("HU", object.union(few("HU", "students"), {"evaluation_or_scoring": true}), {})],
	["hu_naih", "profiling", inp("HU", object.union(big("HU", "customers"), {"evaluation_or_scoring": true}), {})],
	["hu_naih", "automated_decisions", inp("HU", {"automated_decisions": true, "decisions_legal_effect": true}, {})],
	["hu_naih", "public_surveillance", inp("HU", object.union(big("HU", "customers"), {"public_area_monitoring": true}), {})],
	["hu_naih", "employee_monitoring", inp("HU", object.union(few("HU", "employees"), {"systematic_monitoring": true}), {})],
	["hu_naih", "children_profiling", inp("HU", object.union(few("HU", "children"), {"automated_decisions": true}), {})],
	["hu_naih", "new_technology_profiling", inp("HU", {"innovative_technology": true, "evaluation_or_scoring": true}, {})],
	# Persónuvernd (Iceland)
	["is_personuvernd", "third_party_data", inp("IS", {"collected_directly": false, "combines_datasets": true}, {})],
	["is_personuvernd", "public_monitoring", inp("IS", object.union(big("IS", "customers"), {"public_area_monitoring": true}), {})],
	["is_personuvernd", "school_monitoring", inp("IS", object.union(few("IS", "students"), {"systematic_monitoring": true}), {})],
	["is_personuvernd", "pupil_evaluation", inp("IS", object.union(few("IS", "children"), {"evaluation_or_scoring": true}), {})],
	["is_personuvernd", "biometric", inp("IS", {"data_categories": ["biometric"], "combines_datasets": true}, {})],
	["is_personuvernd", "employee_monitoring", inp("IS", object.union(few("IS", "employees"), {"systematic_monitoring": true}), {})],
	["is_personuvernd", "new_technology", inp("IS", {"innovative_technology": true, "combines_datasets": true}, {})],
	["is_personuvernd", "skills_evaluation", inp("IS", object.union(few("IS", "job_applicants"), {"evaluation_or_scoring": true}), {})],
	["is_personuvernd", "prediction_services", inp("IS", {"evaluation_or_scoring": true, "combines_datasets": true}, {})],
	["is_personuvernd", "iot_monitoring", inp("IS", object.union(big("IS", "customers"), {"innovative_technology": true, "systematic_monitoring": true}), {})],
	["is_personuvernd", "prevents_rights", inp("IS", {"prevents_rights_or_service": true, "combines_datasets": true}, {})],
	# Tietosuojavaltuutettu (Finland): each with another WP248 criterion
	["fi_tietosuoja", "biometric", inp("FI", {"data_categories": ["biometric"], "combines_datasets": true}, {})],
	["fi_tietosuoja", "genetic", inp("FI", {"data_categories": ["genetic"], "evaluation_or_scoring": true}, {})],
	["fi_tietosuoja", "location", inp("FI", {"data_categories": ["precise_location"], "systematic_monitoring": true}, {})],
	# APD/GBA (Belgium)
	["be_apd", "biometric_public_places", inp("BE", {"data_categories": ["biometric"], "public_area_monitoring": true}, {})],
	["be_apd", "third_party_refusal", inp("BE", {"collected_directly": false, "prevents_rights_or_service": true}, {})],
	["be_apd", "third_party_prediction", inp("BE", object.union(big("BE", "customers"), {"collected_directly": false, "evaluation_or_scoring": true}), {})],
	["be_apd", "internet_of_things", inp("BE", object.union(big("BE", "customers"), {"innovative_technology": true}), {})],
	# Datatilsynet (Denmark)
	["dk_datatilsynet", "biometric", inp("DK", {"data_categories": ["biometric"], "innovative_technology": true}, {})],
	["dk_datatilsynet", "location", inp("DK", {"data_categories": ["location"], "systematic_monitoring": true}, {})],
	["dk_datatilsynet", "innovative_technology", inp("DK", {"innovative_technology": true, "combines_datasets": true}, {})],
	["dk_datatilsynet", "automated_access_decisions", inp("DK", {"prevents_rights_or_service": true, "evaluation_or_scoring": true}, {})],
	["dk_datatilsynet", "genetic", inp("DK", {"data_categories": ["genetic"], "combines_datasets": true}, {})],
	["dk_datatilsynet", "large_scale_profiling", inp("DK", object.union(big("DK", "customers"), {"evaluation_or_scoring": true}), {})],
	# CNPD (Portugal)
	["pt_cnpd", "health_devices", inp("PT", {"data_categories": ["health"], "innovative_technology": true}, {})],
	["pt_cnpd", "interconnection_sensitive", inp("PT", {"data_categories": ["health"], "combines_datasets": true}, {})],
	["pt_cnpd", "large_scale_profiling", inp("PT", object.union(big("PT", "customers"), {"evaluation_or_scoring": true}), {})],
	["pt_cnpd", "tracking_evaluation", inp("PT", {"data_categories": ["location"], "evaluation_or_scoring": true}, {})],
	# IMY (Sweden): two criteria; each paired with large-scale processing (or, for that one, profiling)
	["se_imy", "evaluation_scoring", inp("SE", object.union(big("SE", "customers"), {"evaluation_or_scoring": true}), {})],
	["se_imy", "automated_decision", inp("SE", object.union(big("SE", "customers"), {"automated_decisions": true, "decisions_legal_effect": true}), {})],
	["se_imy", "systematic_monitoring", inp("SE", object.union(big("SE", "customers"), {"systematic_monitoring": true}), {})],
	["se_imy", "sensitive_data", inp("SE", object.union(big("SE", "customers"), {"data_categories": ["financial"]}), {})],
	["se_imy", "large_scale", inp("SE", object.union(big("SE", "customers"), {"evaluation_or_scoring": true}), {})],
	["se_imy", "matching_combining", inp("SE", object.union(big("SE", "customers"), {"combines_datasets": true}), {})],
	["se_imy", "vulnerable_subjects", inp("SE", big("SE", "children"), {})],
	["se_imy", "innovative_technology", inp("SE", object.union(big("SE", "customers"), {"innovative_technology": true}), {})],
	["se_imy", "prevents_rights", inp("SE", object.union(big("SE", "customers"), {"prevents_rights_or_service": true}), {})],
]

# more_cases: the lists read from the EDPB register's English versions (a second array, so that
# each test evaluates a bounded number of cases within the engine's deadline).
more_cases := [
	# DSB (Austria), DSFA-V § 2(2): one criterion
	["at_dsb", "automated_assessment", inp("AT", {"evaluation_or_scoring": true, "automated_decisions": true}, {})],
	["at_dsb", "monitoring_via_networks", inp("AT", {"systematic_monitoring": true}, {})],
	["at_dsb", "monitoring_public_areas", inp("AT", {"public_area_monitoring": true}, {})],
	["at_dsb", "new_technologies", inp("AT", {"data_categories": ["biometric"]}, {})],
	["at_dsb", "merging_decisions", inp("AT", {"combines_datasets": true, "prevents_rights_or_service": true}, {})],
	# DSB (Austria), DSFA-V § 2(3): two criteria
	["at_dsb_combined", "special_categories_extensive", inp("AT", object.union(big("AT", "customers"), {"data_categories": ["health", "criminal"]}), {})],
	["at_dsb_combined", "criminal_extensive", inp("AT", object.union(big("AT", "customers"), {"data_categories": ["health", "criminal"]}), {})],
	["at_dsb_combined", "telecom_location", inp("AT", object.union(few("AT", "employees"), {"data_categories": ["location"]}), {"sector": "telecom"})],
	["at_dsb_combined", "vulnerable", inp("AT", object.union(few("AT", "employees"), {"data_categories": ["location"]}), {"sector": "telecom"})],
	["at_dsb_combined", "merging_indirect", inp("AT", object.union(few("AT", "patients"), {"combines_datasets": true, "collected_directly": false}), {})],
	# AZOP (Croatia)
	["hr_azop", "profiling_significant", inp("HR", {"evaluation_or_scoring": true, "prevents_rights_or_service": true}, {})],
	["hr_azop", "special_profiling", inp("HR", {"data_categories": ["health"], "evaluation_or_scoring": true}, {})],
	["hr_azop", "children_profiling", inp("HR", object.union(few("HR", "children"), {"evaluation_or_scoring": true}), {})],
	["hr_azop", "third_party_decisions", inp("HR", {"collected_directly": false, "prevents_rights_or_service": true}, {})],
	["hr_azop", "special_criminal_large_scale", inp("HR", object.union(big("HR", "customers"), {"data_categories": ["criminal"]}), {})],
	["hr_azop", "public_monitoring", inp("HR", object.union(big("HR", "customers"), {"public_area_monitoring": true}), {})],
	["hr_azop", "new_technology_prediction", inp("HR", {"innovative_technology": true, "evaluation_or_scoring": true}, {})],
	["hr_azop", "biometric", inp("HR", {"data_categories": ["biometric"], "innovative_technology": true}, {})],
	["hr_azop", "genetic", inp("HR", {"data_categories": ["genetic"], "combines_datasets": true}, {})],
	["hr_azop", "matching", inp("HR", {"combines_datasets": true}, {})],
	["hr_azop", "location_communications_monitoring", inp("HR", {"data_categories": ["communications"], "systematic_monitoring": true}, {})],
	["hr_azop", "employee_monitoring", inp("HR", object.union(few("HR", "employees"), {"systematic_monitoring": true}), {})],
	# IDPC (Malta)
	["mt_idpc", "behaviour_monitoring", inp("MT", {"systematic_monitoring": true}, {})],
	["mt_idpc", "geolocation", inp("MT", {"data_categories": ["precise_location"]}, {})],
	["mt_idpc", "public_monitoring", inp("MT", object.union(big("MT", "customers"), {"public_area_monitoring": true}), {})],
	["mt_idpc", "automated_decisions", inp("MT", {"automated_decisions": true, "decisions_legal_effect": true}, {})],
	["mt_idpc", "innovative_sensitive_vulnerable", inp("MT", {"innovative_technology": true, "data_categories": ["health"]}, {})],
	["mt_idpc", "special_large_scale", inp("MT", object.union(big("MT", "customers"), {"data_categories": ["health"]}), {})],
	["mt_idpc", "biometric", inp("MT", {"data_categories": ["biometric", "criminal"]}, {})],
	["mt_idpc", "genetic_matching", inp("MT", {"data_categories": ["genetic"], "combines_datasets": true}, {})],
	["mt_idpc", "vulnerable", inp("MT", few("MT", "children"), {})],
	["mt_idpc", "employee_evaluation", inp("MT", object.union(few("MT", "employees"), {"evaluation_or_scoring": true}), {})],
	# ÚOOÚ SR (Slovakia)
	["sk_uoou", "biometric", inp("SK", {"data_categories": ["biometric"], "combines_datasets": true}, {})],
	["sk_uoou", "genetic", inp("SK", {"data_categories": ["genetic"], "combines_datasets": true}, {})],
	["sk_uoou", "location", inp("SK", {"data_categories": ["location"], "systematic_monitoring": true}, {})],
	["sk_uoou", "scoring", inp("SK", {"evaluation_or_scoring": true, "prevents_rights_or_service": true}, {})],
	["sk_uoou", "credit_solvency_rating", inp("SK", {"evaluation_or_scoring": true, "data_categories": ["financial"]}, {})],
	["sk_uoou", "profiling", inp("SK", {"evaluation_or_scoring": true}, {})],
	["sk_uoou", "employee_monitoring", inp("SK", object.union(few("SK", "employees"), {"systematic_monitoring": true}), {})],
	["sk_uoou", "innovative_technology", inp("SK", {"innovative_technology": true, "combines_datasets": true}, {})],
	["sk_uoou", "public_cameras", inp("SK", {"public_area_monitoring": true}, {})],
	# ANSPDCP (Romania)
	["ro_anspdcp", "automated_evaluation", inp("RO", {"evaluation_or_scoring": true, "automated_decisions": true, "decisions_legal_effect": true}, {})],
	["ro_anspdcp", "special_large_scale", inp("RO", object.union(big("RO", "customers"), {"data_categories": ["biometric"]}), {})],
	["ro_anspdcp", "public_monitoring", inp("RO", object.union(big("RO", "customers"), {"public_area_monitoring": true}), {})],
	["ro_anspdcp", "vulnerable_monitoring", inp("RO", object.union(big("RO", "employees"), {"systematic_monitoring": true}), {})],
	["ro_anspdcp", "innovative_large_scale", inp("RO", object.union(big("RO", "customers"), {"innovative_technology": true}), {})],
	["ro_anspdcp", "traffic_location", inp("RO", {"data_categories": ["location"], "systematic_monitoring": true}, {})],
	# Datatilsynet (Norway)
	["no_datatilsynet", "third_party_data", inp("NO", {"collected_directly": false, "evaluation_or_scoring": true}, {})],
	["no_datatilsynet", "biometric", inp("NO", {"data_categories": ["biometric"], "combines_datasets": true}, {})],
	["no_datatilsynet", "genetic", inp("NO", {"data_categories": ["genetic"], "combines_datasets": true}, {})],
	["no_datatilsynet", "innovative_technology", inp("NO", {"innovative_technology": true, "combines_datasets": true}, {})],
	["no_datatilsynet", "employee_monitoring", inp("NO", object.union(few("NO", "employees"), {"systematic_monitoring": true}), {})],
	["no_datatilsynet", "location", inp("NO", {"data_categories": ["location"], "systematic_monitoring": true}, {})],
	["no_datatilsynet", "school_evaluation", inp("NO", object.union(few("NO", "students"), {"evaluation_or_scoring": true}), {})],
	["no_datatilsynet", "public_monitoring", inp("NO", object.union(big("NO", "customers"), {"public_area_monitoring": true}), {})],
	["no_datatilsynet", "proficiency_monitoring", inp("NO", {"systematic_monitoring": true, "evaluation_or_scoring": true}, {})],
	["no_datatilsynet", "commercial_prediction", inp("NO", {"evaluation_or_scoring": true}, {})],
	["no_datatilsynet", "iot_large_scale", inp("NO", object.union(big("NO", "customers"), {"innovative_technology": true}), {})],
	# HDPA (Greece)
	["gr_hdpa", "systematic_evaluation", inp("GR", {"evaluation_or_scoring": true}, {})],
	["gr_hdpa", "automated_decisions", inp("GR", {"automated_decisions": true, "decisions_legal_effect": true}, {})],
	["gr_hdpa", "prevents_rights", inp("GR", {"prevents_rights_or_service": true}, {})],
	["gr_hdpa", "marketing_profiling_combined", inp("GR", {"evaluation_or_scoring": true, "combines_datasets": true, "collected_directly": false}, {})],
	["gr_hdpa", "public_monitoring", inp("GR", object.union(big("GR", "customers"), {"systematic_monitoring": true, "data_categories": ["precise_location"]}), {})],
	["gr_hdpa", "public_interest_health", inp("GR", object.union(big("GR", "patients"), {"data_categories": ["health"], "legal_basis": "public_task"}), {})],
	["gr_hdpa", "special_large_scale", inp("GR", object.union(big("GR", "customers"), {"data_categories": ["biometric"]}), {})],
	["gr_hdpa", "highly_personal_large_scale", inp("GR", object.union(big("GR", "customers"), {"data_categories": ["government_id"]}), {})],
	["gr_hdpa", "employee_monitoring", inp("GR", object.union(few("GR", "employees"), {"systematic_monitoring": true, "data_categories": ["communications"]}), {})],
	["gr_hdpa", "employee_biometric_genetic", inp("GR", object.union(few("GR", "employees"), {"data_categories": ["biometric"]}), {})],
	# IP-RS (Slovenia): two criteria; each paired with large-scale processing (or, for that one, profiling)
	["si_iprs", "extensive_evaluation", inp("SI", object.union(big("SI", "customers"), {"evaluation_or_scoring": true}), {})],
	["si_iprs", "automated_decision", inp("SI", object.union(big("SI", "customers"), {"automated_decisions": true, "decisions_legal_effect": true}), {})],
	["si_iprs", "systematic_monitoring", inp("SI", object.union(big("SI", "customers"), {"systematic_monitoring": true}), {})],
	["si_iprs", "special_categories", inp("SI", object.union(big("SI", "customers"), {"data_categories": ["criminal"]}), {})],
	["si_iprs", "large_scale", inp("SI", object.union(big("SI", "customers"), {"combines_datasets": true}), {})],
	["si_iprs", "matching_combining", inp("SI", object.union(big("SI", "customers"), {"combines_datasets": true}), {})],
	["si_iprs", "imbalance_of_power", inp("SI", big("SI", "children"), {})],
	["si_iprs", "innovative_technology", inp("SI", object.union(big("SI", "customers"), {"innovative_technology": true}), {})],
	["si_iprs", "prevents_rights", inp("SI", object.union(big("SI", "customers"), {"prevents_rights_or_service": true}), {})],
	["si_iprs", "biometric", inp("SI", {"data_categories": ["biometric"], "combines_datasets": true}, {})],
	["si_iprs", "genetic", inp("SI", {"data_categories": ["genetic"], "combines_datasets": true}, {})],
]

test_every_list_item_holds_for_its_case if {
	every c in cases {
		c[1] in hit_items(c[2], c[0])
	}
}

test_every_list_item_of_more_cases_holds_for_its_case if {
	every c in more_cases {
		c[1] in hit_items(c[2], c[0])
	}
}

test_every_encoded_item_has_a_case if {
	covered := {[c[0], c[1]] | some c in array.concat(cases, more_cases)}
	every l in dpia.sa_lists {
		every item in l.items {
			[l.id, item.id] in covered
		}
	}
}

# --- items need all their answers ------------------------------------------------------------

test_items_need_all_their_answers if {
	# ICO biometric needs another WP248 criterion; biometric data is itself "sensitive data"
	not "biometric" in hit_items(inp("GB", {"data_categories": ["biometric"]}, {}), "uk_ico")

	# ICO tracking: the location data is the tracking, not the other criterion
	not "tracking" in hit_items(inp("GB", {"data_categories": ["location"]}, {}), "uk_ico")

	# ICO genetic: not for an individual health professional
	not "genetic" in hit_items(inp("GB", {"data_categories": ["genetic"], "combines_datasets": true}, {"customer_type": "individual_practitioner"}), "uk_ico")

	# NL health: large scale only
	not "health" in hit_items(inp("NL", object.union(few("NL", "patients"), {"data_categories": ["health"]}), {}), "nl_ap")

	# AEPD: one criterion is not enough
	count(hit_items(inp("ES", {"evaluation_or_scoring": true}, {}), "es_aepd")) == 0

	# CNIL HR exemption: 250 employees or more, unknown headcount, or other people
	count(hit_items(inp("FR", few("FR", "employees"), {"customer_employees": 250}), "fr_cnil_exempt")) == 0
	count(hit_items(json.remove(inp("FR", few("FR", "employees"), {}), ["questionnaire/deployment/customer_employees"]), "fr_cnil_exempt")) == 0
	count(hit_items(inp("FR", {"data_subjects": [fixtures.subjects("employees", ["FR"], 50), fixtures.subjects("customers", ["FR"], 50)]}, {"customer_employees": 120}), "fr_cnil_exempt")) == 0
}

# --- levels, texts and findings ------------------------------------------------------------------

test_nl_location_data_makes_a_dpia_required if {
	x := inp("NL", object.union(big("NL", "customers"), {"data_categories": ["location"]}), {})
	r := result(x)
	r.level == "required"
	r.lists == [{
		"list": "nl_ap",
		"regime": "gdpr",
		"authority": "Autoriteit Persoonsgegevens",
		"effect": "required",
		"item": "location_data",
		"text": "12. Location data: large-scale and/or systematic processing of location data",
		"activity": "Customer accounts",
		"citation": {"ref": "AP DPIA list, Stcrt. 2019, 64418 (GDPR Art. 35(4))", "url": "https://zoek.officielebekendmakingen.nl/stcrt-2019-64418.html"},
	}]
	r.why == "on an Art. 35(4) list: Customer accounts: Autoriteit Persoonsgegevens list, 12. Location data: large-scale and/or systematic processing of location data"
	f := fixtures.one(dpia.findings, "GDPR-DPIA-REQUIRED") with input as x
	f.detail == "DPIA required: on an Art. 35(4) list: Customer accounts: Autoriteit Persoonsgegevens list, 12. Location data: large-scale and/or systematic processing of location data. Has a DPIA been carried out and documented?"
	f.fields == ["activities[0].data_categories", "activities[0].data_subjects", "activities[0].data_subjects[0].count", "activities[0].systematic_monitoring"]
}

test_nl_list_binds_only_its_controllers if {
	# a Czech controller with the same processing: WP248 only (two criteria: likely)
	cz := inp("CZ", object.union(big("CZ", "customers"), {"data_categories": ["location"], "data_subjects": [fixtures.subjects("customers", ["NL"], 20000)]}), {})
	result(cz).lists == []
	result(cz).level == "likely"

	# a US controller reached through its Dutch customers (Art. 3(2)) gets the Dutch list
	us := inp("US", object.union(big("NL", "customers"), {"data_categories": ["location"], "targeted_countries": ["NL"]}), {})
	hit_items(us, "nl_ap") == {"location_data"}

	# ... unless it is established in the EU elsewhere (its lead authority's list applies)
	us_at := inp("US", object.union(big("NL", "customers"), {"data_categories": ["location"], "targeted_countries": ["NL"]}), {"customer_establishments": ["AT"]})
	hit_items(us_at, "nl_ap") == set()
}

test_de_list_binds_only_german_non_public_controllers if {
	# AI to steer the interaction with customers: one WP248 criterion, but on the DSK list
	de := inp("DE", {"innovative_technology": true}, {})
	hit_items(de, "de_dsk") == {"artificial_intelligence"}
	result(de).level == "required"
	"GDPR-DPIA-REQUIRED" in finding_ids(de)

	# a Czech controller with the same processing: WP248 only (one criterion: possible)
	cz := inp("CZ", {"innovative_technology": true}, {})
	result(cz).lists == []
	result(cz).level == "possible"
	result(cz).lists_not_held == ["CZ"]

	# a US controller reached through its German customers (Art. 3(2)) gets the DSK list
	us := inp("US", {"innovative_technology": true, "data_subjects": [fixtures.subjects("customers", ["DE"], 500)], "targeted_countries": ["DE"]}, {})
	hit_items(us, "de_dsk") == {"artificial_intelligence"}

	# a German public body: the DSK list covers the non-public sector only
	count(hit_items(inp("DE", {"innovative_technology": true}, {"customer_type": "public_authority"}), "de_dsk")) == 0

	# biometric data alone is not enough (item 1 asks for a further WP248 criterion)
	not "biometric" in hit_items(inp("DE", {"data_categories": ["biometric"]}, {}), "de_dsk")
}

# The hit's authority and items are data texts (*_text parameters, translated by the
# catalogues); the items of a two_or_more entry in the list's order, joined as in its text.
test_hit_message_passes_authority_and_items_as_data_texts if {
	two := inp("PL", {"data_categories": ["location"], "innovative_technology": true}, {})
	[h] := [h | some h in dpia.sa_hits; h.list == "pl_uodo"] with input as two
	m := dpia.hits_msg({h})
	[hit] := m.items
	hit.id == "dpia.hit"
	hit.params.authority_text == "Prezes Urzędu Ochrony Danych Osobowych (UODO)"
	hit.params.items_text.sep == "; "
	hit.params.items_text.items == h.texts
	count(h.texts) == 2
	concat("; ", hit.params.items_text.items) == h.text
	m.text == sprintf("Customer accounts: Prezes Urzędu Ochrony Danych Osobowych (UODO) list, %s", [h.text])
}

test_pl_two_criteria_make_a_dpia_likely_for_polish_controllers if {
	# location data alone: one UODO criterion, one WP248 criterion
	one := inp("PL", {"data_categories": ["location"]}, {})
	hit_items(one, "pl_uodo") == set()
	result(one).level == "possible"

	# location data and innovative technology: two UODO criteria (and two of WP248)
	two := inp("PL", {"data_categories": ["location"], "innovative_technology": true}, {})
	hit_items(two, "pl_uodo") == {"location", "innovative_technology"}
	result(two).level == "likely"
	"GDPR-DPIA-REQUIRED" in finding_ids(two)

	# employees' location data: two UODO criteria (9, imbalance of power, and 12), named in the
	# reasons beside WP248's two (vulnerable subjects, sensitive data)
	emp := inp("PL", object.union(few("PL", "employees"), {"data_categories": ["location"]}), {})
	hit_items(emp, "pl_uodo") == {"location", "power_imbalance"}
	contains(result(emp).why, "Prezes Urzędu Ochrony Danych Osobowych (UODO) list")

	# a Czech controller with the same processing: no Polish list
	result(inp("CZ", {"data_categories": ["location"], "innovative_technology": true}, {})).lists == []
}

test_fi_location_needs_another_criterion_and_binds_finnish_controllers if {
	not "location" in hit_items(inp("FI", {"data_categories": ["location"]}, {}), "fi_tietosuoja")
	x := inp("FI", {"data_categories": ["location"], "systematic_monitoring": true}, {})
	hit_items(x, "fi_tietosuoja") == {"location"}
	result(x).level == "required"

	# an Estonian controller with the same processing: WP248 only, and the Estonian list is noted missing
	ee := inp("EE", {"data_categories": ["location"], "systematic_monitoring": true}, {})
	result(ee).lists == []
	result(ee).level == "likely"
	result(ee).lists_not_held == ["EE"]
}

test_bg_list_binds_only_bulgarian_controllers if {
	x := inp("BG", object.union(big("BG", "customers"), {"data_categories": ["biometric"]}), {})
	hit_items(x, "bg_cpdp") == {"biometric_large_scale"}
	result(x).level == "required"

	# not on a large scale: not this item
	not "biometric_large_scale" in hit_items(inp("BG", {"data_categories": ["biometric"]}, {}), "bg_cpdp")

	# a Cypriot controller: no Bulgarian list
	result(inp("CY", object.union(big("CY", "customers"), {"data_categories": ["biometric"]}), {})).lists == []
}

test_lu_list_binds_only_luxembourg_controllers if {
	x := inp("LU", {"data_categories": ["precise_location"], "systematic_monitoring": true}, {})
	hit_items(x, "lu_cnpd") == {"location_tracking"}
	result(x).level == "required"

	# location data without systematic monitoring: not this item
	not "location_tracking" in hit_items(inp("LU", {"data_categories": ["precise_location"]}, {}), "lu_cnpd")

	# a Belgian controller: no Luxembourg list (and no item of the Belgian one)
	be := inp("BE", {"data_categories": ["precise_location"], "systematic_monitoring": true}, {})
	result(be).lists == []
	result(be).lists_not_held == []
}

test_lt_list_binds_only_lithuanian_controllers if {
	x := inp("LT", {"data_categories": ["genetic"], "evaluation_or_scoring": true}, {})
	hit_items(x, "lt_vdai") == {"genetic_scoring"}
	result(x).level == "required"

	# genetic data without scoring: not this item
	not "genetic_scoring" in hit_items(inp("LT", {"data_categories": ["genetic"]}, {}), "lt_vdai")

	# an Estonian controller: no Lithuanian list
	result(inp("EE", {"data_categories": ["genetic"], "evaluation_or_scoring": true}, {})).lists == []
}

test_lv_list_binds_only_latvian_controllers if {
	x := inp("LV", {"evaluation_or_scoring": true}, {})
	hit_items(x, "lv_dvi") == {"profiling_automated"}
	result(x).level == "required"

	# innovative technology alone: item 6 needs another criterion
	not "innovative_technology" in hit_items(inp("LV", {"innovative_technology": true}, {}), "lv_dvi")

	# a Lithuanian controller profiling customers: not the Latvian list
	result(inp("LT", {"evaluation_or_scoring": true}, {})).lists == []
}

test_li_list_binds_only_liechtenstein_controllers if {
	# combining datasets alone: item 4 needs a further criterion
	not "combining" in hit_items(inp("LI", {"combines_datasets": true}, {}), "li_dss")
	x := inp("LI", {"combines_datasets": true, "innovative_technology": true}, {})
	hit_items(x, "li_dss") == {"combining", "innovative_technology"}
	result(x).level == "required"

	# a Swiss controller is outside the GDPR: no list, nothing reported
	ch := inp("CH", {"combines_datasets": true, "innovative_technology": true, "data_subjects": [fixtures.subjects("customers", ["CH"], 500)]}, {})
	result(ch).lists == []
	result(ch).lists_not_held == []
}

test_hu_list_binds_only_hungarian_controllers if {
	x := inp("HU", {"collected_directly": false, "prevents_rights_or_service": true}, {})
	hit_items(x, "hu_naih") == {"third_party_data_decisions"}
	result(x).level == "required"

	# collected directly from the person, or not answered: not item 8
	not "third_party_data_decisions" in hit_items(inp("HU", {"collected_directly": true, "prevents_rights_or_service": true}, {}), "hu_naih")
	not "third_party_data_decisions" in hit_items(inp("HU", {"prevents_rights_or_service": true}, {}), "hu_naih")

	# an Estonian controller: no Hungarian list, and the Estonian one is not held
	ee := inp("EE", {"collected_directly": false, "prevents_rights_or_service": true}, {})
	result(ee).lists == []
	result(ee).lists_not_held == ["EE"]
}

test_is_list_binds_only_icelandic_controllers if {
	# data from third parties alone: item 1 needs another criterion
	not "third_party_data" in hit_items(inp("IS", {"collected_directly": false}, {}), "is_personuvernd")
	x := inp("IS", {"collected_directly": false, "combines_datasets": true}, {})
	hit_items(x, "is_personuvernd") == {"third_party_data"}
	result(x).level == "required"

	# a Cypriot controller: no Icelandic list, and the Cypriot one is not held
	cy := inp("CY", {"collected_directly": false, "combines_datasets": true}, {})
	result(cy).lists == []
	result(cy).lists_not_held == ["CY"]
}

test_es_two_criteria_make_a_dpia_likely if {
	one := inp("ES", {"evaluation_or_scoring": true}, {})
	result(one).level == "possible"
	not "GDPR-DPIA-REQUIRED" in finding_ids(one)

	# special-category data and financial data are one AEPD criterion with WP248's "sensitive
	# data", so financial data of a large number of people meets two AEPD criteria and two of WP248
	two := inp("ES", object.union(big("ES", "customers"), {"data_categories": ["financial"]}), {})
	r := result(two)
	r.level == "likely"
	r.why == concat("", [
		"Customer accounts meets 2: two or more WP248 criteria each, so a DPIA is required in most cases; required in most cases under an Art. 35(4) ",
		"list: Customer accounts: Agencia Española de Protección de Datos (AEPD) list, 4. Special categories, criminal-offence data, or data ",
		"revealing financial situation or solvency; 7. Large-scale processing",
	])
	"GDPR-DPIA-REQUIRED" in finding_ids(two)
}

test_es_list_alone_makes_a_dpia_likely if {
	# biometric and genetic data: one WP248 criterion (sensitive data), three AEPD criteria
	# (special categories, biometric, genetic)
	x := inp("ES", {"data_categories": ["biometric", "genetic"]}, {})
	r := result(x)
	r.level == "likely"
	r.why == "required in most cases under an Art. 35(4) list: Customer accounts: Agencia Española de Protección de Datos (AEPD) list, 4. Special categories, criminal-offence data, or data revealing financial situation or solvency; 5. Biometric data for uniquely identifying a person; 6. Genetic data, for any purpose"
	f := fixtures.one(dpia.findings, "GDPR-DPIA-REQUIRED") with input as x
	f.fields == ["activities[0].data_categories"]
}

test_fr_small_hr_activity_is_exempt if {
	x := inp("FR", few("FR", "employees"), {"customer_employees": 120})

	# employees are vulnerable (WP248 criterion 7): one criterion, but the CNIL exempts it
	{c.id | some c in result(x).criteria} == {"vulnerable_subjects"}
	r := result(x)
	r.level == "not_required"
	r.why == "not required under an Art. 35(5) list: Customer accounts: Commission nationale de l'informatique et des libertés (CNIL) list, Human-resources processing of organisations with fewer than 250 employees, without profiling"
	r.required == false
}

test_fr_exemption_gives_way_to_a_required_item if {
	# constant monitoring of the same employees is on the CNIL's Art. 35(4) list
	x := inp("FR", object.union(few("FR", "employees"), {"systematic_monitoring": true}), {"customer_employees": 120})
	hit_items(x, "fr_cnil_exempt") == {"hr_small"}
	result(x).level == "required"
	"GDPR-DPIA-REQUIRED" in finding_ids(x)
}

test_fr_exemption_overrides_the_wp248_presumption if {
	# vulnerable employees' financial data: two WP248 criteria, exempt small-employer HR processing
	x := inp("FR", object.union(few("FR", "employees"), {"data_categories": ["financial"]}), {"customer_employees": 120})
	result(x).level == "not_required"
	not "GDPR-DPIA-REQUIRED" in finding_ids(x)
}

test_uk_biometric_needs_another_criterion if {
	alone := inp("GB", {"data_categories": ["biometric"]}, {})
	result(alone).level == "possible"
	not "UK-GDPR-DPIA-ICO-LIST" in finding_ids(alone)

	with_ai := inp("GB", {"data_categories": ["biometric"], "innovative_technology": true}, {})
	r := result(with_ai)
	r.level == "required"
	hit_items(with_ai, "uk_ico") == {"biometric", "innovative_technology"}
	f := fixtures.one(dpia.findings, "UK-GDPR-DPIA-ICO-LIST") with input as with_ai
	f.regime == "uk_gdpr"
	f.kind == "gap"
	f.severity == "high"
	f.fields == ["activities[0].data_categories", "activities[0].innovative_technology"]
	f.detail == concat("", [
		"The ICO's list requires a DPIA for Customer accounts: Information Commissioner's Office (ICO) list, Biometric data for uniquely identifying ",
		"a person, combined with any other WP248 criterion; Customer accounts: Information Commissioner's Office (ICO) list, Innovative technology ",
		"(including AI), combined with any other WP248 criterion. Has a DPIA been carried out and documented?",
	])
	f.citation.url == "https://ico.org.uk/for-organisations/uk-gdpr-guidance-and-resources/accountability-and-governance/data-protection-impact-assessments-dpias/examples-of-processing-likely-to-result-in-high-risk/"

	# recorded, or already asked for by the UK GDPR's own DPIA duty (automated decisions): no finding
	not "UK-GDPR-DPIA-ICO-LIST" in finding_ids(object.union(with_ai, {"questionnaire": {"governance": {"impact_assessments": ["uk_gdpr"]}}}))
	not "UK-GDPR-DPIA-ICO-LIST" in finding_ids(inp("GB", {"data_categories": ["biometric"], "automated_decisions": true}, {}))
}

test_recorded_dpia_clears_the_list_finding if {
	x := inp("NL", object.union(big("NL", "customers"), {"data_categories": ["location"]}), {"scope_confirmed": {}})
	recorded := object.union(x, {"questionnaire": {"governance": {"impact_assessments": ["gdpr"]}}})
	result(recorded).level == "required"
	not "GDPR-DPIA-REQUIRED" in finding_ids(recorded)
}

test_be_list_binds_only_belgian_controllers if {
	x := inp("BE", {"collected_directly": false, "prevents_rights_or_service": true}, {})
	hit_items(x, "be_apd") == {"third_party_refusal"}
	result(x).level == "required"
	"GDPR-DPIA-REQUIRED" in finding_ids(x)

	# collected_directly unanswered: not this item
	not "third_party_refusal" in hit_items(inp("BE", {"prevents_rights_or_service": true}, {}), "be_apd")

	# biometric data without monitoring of a publicly accessible area: not item 1
	not "biometric_public_places" in hit_items(inp("BE", {"data_categories": ["biometric"]}, {}), "be_apd")

	# a Dutch controller: no Belgian list
	count(hit_items(inp("NL", {"collected_directly": false, "prevents_rights_or_service": true}, {}), "be_apd")) == 0
}

test_dk_items_need_another_criterion_and_bind_danish_controllers if {
	# location data alone: the location data is the item, not the other criterion
	not "location" in hit_items(inp("DK", {"data_categories": ["location"]}, {}), "dk_datatilsynet")
	not "innovative_technology" in hit_items(inp("DK", {"innovative_technology": true}, {}), "dk_datatilsynet")

	x := inp("DK", {"data_categories": ["location"], "systematic_monitoring": true}, {})
	hit_items(x, "dk_datatilsynet") == {"location"}
	result(x).level == "required"

	# a Norwegian controller with the same processing: no Danish list
	count(hit_items(inp("NO", {"data_categories": ["location"], "systematic_monitoring": true}, {}), "dk_datatilsynet")) == 0
}

test_pt_tracking_needs_evaluation_and_binds_portuguese_controllers if {
	# location data without evaluation or classification: not item 5
	not "tracking_evaluation" in hit_items(inp("PT", {"data_categories": ["location"]}, {}), "pt_cnpd")

	# health data without an interconnection or a connected device: no item
	hit_items(inp("PT", {"data_categories": ["health"]}, {}), "pt_cnpd") == set()

	x := inp("PT", {"data_categories": ["location"], "evaluation_or_scoring": true}, {})
	hit_items(x, "pt_cnpd") == {"tracking_evaluation"}
	result(x).level == "required"

	# a Spanish controller: no Portuguese list
	count(hit_items(inp("ES", {"data_categories": ["location"], "evaluation_or_scoring": true}, {}), "pt_cnpd")) == 0
}

test_se_two_criteria_make_a_dpia_required_for_swedish_controllers if {
	# location data alone: one criterion
	one := inp("SE", {"data_categories": ["location"]}, {})
	hit_items(one, "se_imy") == set()
	result(one).level == "possible"

	# location data and systematic monitoring: two criteria, and IMY says a DPIA must be made
	two := inp("SE", {"data_categories": ["location"], "systematic_monitoring": true}, {})
	hit_items(two, "se_imy") == {"sensitive_data", "systematic_monitoring"}
	result(two).level == "required"
	contains(result(two).why, "Integritetsskyddsmyndigheten (IMY, formerly Datainspektionen) list")

	# a Finnish controller with the same processing: no Swedish list
	count(hit_items(inp("FI", {"data_categories": ["location"], "systematic_monitoring": true}, {}), "se_imy")) == 0
}

test_at_lists_bind_austrian_controllers if {
	# AI: DSFA-V § 2(2) Z 4, one criterion suffices
	ai := inp("AT", {"innovative_technology": true}, {})
	hit_items(ai, "at_dsb") == {"new_technologies"}
	result(ai).level == "required"
	result(ai).lists_not_held == []

	# employees' data alone: one § 2(3) criterion, not two
	hit_items(inp("AT", few("AT", "employees"), {}), "at_dsb_combined") == set()

	# employees' location data at a telecom customer: two § 2(3) criteria
	two := inp("AT", object.union(few("AT", "employees"), {"data_categories": ["location"]}), {"sector": "telecom"})
	hit_items(two, "at_dsb_combined") == {"telecom_location", "vulnerable"}
	result(two).level == "required"

	# the same outside the telecom sector: not the TKG location data of Z 3
	not "telecom_location" in hit_items(inp("AT", object.union(few("AT", "employees"), {"data_categories": ["location"]}), {}), "at_dsb_combined")

	# a German controller: not the Austrian lists
	hit_items(inp("DE", {"innovative_technology": true}, {}), "at_dsb") == set()
}

test_hr_list_binds_only_croatian_controllers if {
	# biometric data alone: item 8 needs another WP248 criterion
	not "biometric" in hit_items(inp("HR", {"data_categories": ["biometric"]}, {}), "hr_azop")
	x := inp("HR", {"data_categories": ["biometric"], "innovative_technology": true}, {})
	hit_items(x, "hr_azop") == {"biometric"}
	result(x).level == "required"

	# a Cypriot controller: no Croatian list
	result(inp("CY", {"data_categories": ["biometric"], "innovative_technology": true}, {})).lists == []
}

test_mt_vulnerable_persons_make_a_dpia_required if {
	# customers' contact data: no item
	hit_items(inp("MT", {}, {}), "mt_idpc") == set()

	# employees are vulnerable persons (item 7)
	x := inp("MT", few("MT", "employees"), {})
	hit_items(x, "mt_idpc") == {"vulnerable"}
	result(x).level == "required"

	# biometric data of customers, without a public place, criminal data or vulnerable persons
	not "biometric" in hit_items(inp("MT", {"data_categories": ["biometric"]}, {}), "mt_idpc")

	# an Italian controller: no Maltese list
	count(hit_items(inp("IT", few("IT", "employees"), {}), "mt_idpc")) == 0
}

test_sk_location_needs_another_criterion_and_binds_slovak_controllers if {
	not "location" in hit_items(inp("SK", {"data_categories": ["location"]}, {}), "sk_uoou")
	x := inp("SK", {"data_categories": ["location"], "systematic_monitoring": true}, {})
	hit_items(x, "sk_uoou") == {"location"}
	result(x).level == "required"

	# a Hungarian controller: no Slovak list
	count(hit_items(inp("HU", {"data_categories": ["location"], "systematic_monitoring": true}, {}), "sk_uoou")) == 0
}

test_ro_location_needs_scale_or_monitoring_and_binds_romanian_controllers if {
	hit_items(inp("RO", {"data_categories": ["location"]}, {}), "ro_anspdcp") == set()
	x := inp("RO", object.union(big("RO", "customers"), {"data_categories": ["location"]}), {})
	hit_items(x, "ro_anspdcp") == {"traffic_location"}
	result(x).level == "required"

	# a Bulgarian controller: no Romanian list
	count(hit_items(inp("BG", object.union(big("BG", "customers"), {"data_categories": ["location"]}), {}), "ro_anspdcp")) == 0
}

test_no_third_party_data_needs_another_criterion_and_binds_norwegian_controllers if {
	not "third_party_data" in hit_items(inp("NO", {"collected_directly": false}, {}), "no_datatilsynet")
	x := inp("NO", {"collected_directly": false, "combines_datasets": true}, {})
	hit_items(x, "no_datatilsynet") == {"third_party_data"}
	result(x).level == "required"

	# a Swedish controller: no Norwegian list
	count(hit_items(inp("SE", {"collected_directly": false, "combines_datasets": true}, {}), "no_datatilsynet")) == 0
}

test_gr_one_criterion_of_the_first_two_categories_binds_greek_controllers if {
	# innovative technology alone is a 3rd-category criterion: not encoded, no item
	hit_items(inp("GR", {"innovative_technology": true}, {}), "gr_hdpa") == set()

	# health data on a large scale under a public task: 1.6 and 2.1
	x := inp("GR", object.union(big("GR", "patients"), {"data_categories": ["health"], "legal_basis": "public_task"}), {})
	hit_items(x, "gr_hdpa") == {"public_interest_health", "special_large_scale"}
	result(x).level == "required"

	# a Cypriot controller: no Greek list
	count(hit_items(inp("CY", {"evaluation_or_scoring": true}, {}), "gr_hdpa")) == 0
}

test_si_two_criteria_make_a_dpia_required_for_slovenian_controllers if {
	# profiling of a few customers: one criterion (extensive evaluation needs a large scale)
	one := inp("SI", {"evaluation_or_scoring": true}, {})
	hit_items(one, "si_iprs") == set()
	result(one).level == "possible"

	# location data and systematic monitoring: one IP-RS criterion (location is not a special category)
	hit_items(inp("SI", {"data_categories": ["location"], "systematic_monitoring": true}, {}), "si_iprs") == set()

	# biometric data and combined datasets: special categories, matching, biometric
	two := inp("SI", {"data_categories": ["biometric"], "combines_datasets": true}, {})
	hit_items(two, "si_iprs") == {"special_categories", "matching_combining", "biometric"}
	result(two).level == "required"

	# a Croatian controller: no Slovenian list
	count(hit_items(inp("HR", {"data_categories": ["biometric"], "combines_datasets": true}, {}), "si_iprs")) == 0
}

# --- coverage: countries whose list piaflow does not hold ---------------------------------------

test_lists_not_held_names_the_controllers_countries_without_a_list if {
	# an Estonian controller: the AKI's list is not in the library
	result(inp("EE", {}, {})).lists_not_held == ["EE"]

	# Dutch, German and British controllers: their lists are held
	result(inp("NL", {}, {})).lists_not_held == []
	result(inp("DE", {}, {})).lists_not_held == []
	result(inp("GB", {}, {})).lists_not_held == []

	# established in NL and CZ: the Czech list is not held
	result(inp("NL", {}, {"customer_establishments": ["CZ"]})).lists_not_held == ["CZ"]

	# Belgian, Danish, Portuguese, Swedish, Austrian, Croatian, Maltese, Slovak, Romanian,
	# Norwegian, Greek and Slovenian controllers: their lists are held
	every c in ["BE", "DK", "PT", "SE", "AT", "HR", "MT", "SK", "RO", "NO", "GR", "SI"] {
		result(inp(c, {}, {})).lists_not_held == []
	}

	# a US controller reached through its people (Art. 3(2)) in Cyprus and France
	us := inp("US", {"data_subjects": [fixtures.subjects("customers", ["CY", "FR"], 500)], "targeted_countries": ["CY", "FR"]}, {})
	result(us).lists_not_held == ["CY"]

	# ... and in Austria and France: both lists are held
	us_at := inp("US", {"data_subjects": [fixtures.subjects("customers", ["AT", "FR"], 500)], "targeted_countries": ["AT", "FR"]}, {})
	result(us_at).lists_not_held == []

	# no GDPR controller: nothing to report
	result(inp("US", {}, {})).lists_not_held == []
}
