"""Employers and universities of the demo, by country, kind and domain.

Entries are "Name@City", and for every kind but universities and hospitals
"domain=Name@City": the domain says which subfields the employer fits
(registry.demo.vocabulary). A country, kind or domain missing here falls
back to GENERIC, plausible anywhere. Kinds: uni (academia, students),
med and agri (degrees in medicine and agriculture), inst (research), co
(industry; private hospitals are "health" companies), gov (government
agencies), hosp (public hospitals, where clinicians in government work),
intl (international organisations), ngo (non-profit).
"""

ORGANISATIONS = {
    "PK": {
        "uni": "Quaid-i-Azam University@Islamabad;Lahore University of Management Sciences@Lahore;"
        "National University of Sciences and Technology@Islamabad;University of the Punjab@Lahore;"
        "University of Karachi@Karachi;University of Engineering and Technology@Lahore;"
        "Pakistan Institute of Engineering and Applied Sciences@Islamabad;"
        "COMSATS University@Islamabad;University of Peshawar@Peshawar",
        "med": "King Edward Medical University@Lahore;Aga Khan University@Karachi;"
        "Dow University of Health Sciences@Karachi;Khyber Medical College@Peshawar",
        "agri": "University of Agriculture@Faisalabad",
    },
    "US": {
        "uni": "Massachusetts Institute of Technology@Boston;Stanford University@San Francisco;"
        "University of Houston@Houston;Columbia University@New York;"
        "University of Chicago@Chicago;Harvard University@Boston",
        "hosp": "Massachusetts General Hospital@Boston;Houston Methodist Hospital@Houston;"
        "NewYork-Presbyterian Hospital@New York",
        "inst": "science=Fermilab@Chicago;science=Argonne National Laboratory@Chicago;"
        "health=Broad Institute@Boston;energy=National Renewable Energy Laboratory@Houston",
        "co": "tech=Google@San Francisco;tech=Microsoft@New York;pharma=Pfizer@New York;"
        "energy=ExxonMobil@Houston;finance=Goldman Sachs@New York;eng=Boeing@Chicago;"
        "health=HCA Healthcare@Houston;media=The New York Times@New York;"
        "law=Baker McKenzie@Chicago;finance=McKinsey & Company@Chicago",
        "gov": "health=Centers for Disease Control and Prevention@New York;"
        "science=National Science Foundation@New York;env=Environmental Protection Agency@Boston",
        "intl": "finance=World Bank@New York;finance=International Monetary Fund@New York;"
        "social=United Nations Development Programme@New York;social=UNICEF@New York;"
        "law=United Nations Secretariat@New York",
        "ngo": "health=Bill & Melinda Gates Foundation@San Francisco;"
        "social=Ford Foundation@New York",
    },
    "GB": {
        "uni": "Imperial College London@London;University of Manchester@Manchester;"
        "University of Birmingham@Birmingham;University of Edinburgh@Edinburgh;"
        "University of Cambridge@Cambridge;King's College London@London",
        "hosp": "Guy's and St Thomas' NHS Foundation Trust@London;"
        "Manchester Royal Infirmary@Manchester;Queen Elizabeth Hospital@Birmingham;"
        "Royal Infirmary of Edinburgh@Edinburgh;Addenbrooke's Hospital@Cambridge",
        "inst": "health=Francis Crick Institute@London;health=Wellcome Sanger Institute@Cambridge;"
        "science=Rutherford Appleton Laboratory@London;env=British Geological Survey@Edinburgh",
        "co": "tech=Arm@Cambridge;eng=Rolls-Royce@Birmingham;pharma=AstraZeneca@Cambridge;"
        "pharma=GSK@London;energy=BP@London;finance=HSBC@London;media=BBC@London;"
        "law=Clifford Chance@London;health=HCA Healthcare UK@London;eng=Arup@Manchester",
        "gov": "health=UK Health Security Agency@London;env=Environment Agency@Birmingham;"
        "finance=HM Treasury@London;social=Office for National Statistics@London;"
        "law=Foreign, Commonwealth and Development Office@London",
        "intl": "social=Commonwealth Secretariat@London;"
        "eng=International Maritime Organization@London",
        "ngo": "health=Wellcome Trust@London;social=Save the Children UK@London;"
        "culture=British Council@Manchester",
    },
    "CA": {
        "uni": "University of Toronto@Toronto;McGill University@Montréal;"
        "University of British Columbia@Vancouver;University of Calgary@Calgary",
        "hosp": "Toronto General Hospital@Toronto;Montreal General Hospital@Montréal;"
        "Vancouver General Hospital@Vancouver",
        "inst": "science=TRIUMF@Vancouver;tech=Vector Institute@Toronto;"
        "science=National Research Council Canada@Calgary",
        "co": "tech=Shopify@Toronto;finance=Royal Bank of Canada@Toronto;eng=Bombardier@Montréal;"
        "energy=Suncor Energy@Calgary;tech=OpenText@Toronto;media=CBC/Radio-Canada@Toronto",
        "gov": "health=Health Canada@Toronto;env=Environment and Climate Change Canada@Montréal;"
        "social=Statistics Canada@Toronto",
        "intl": "eng=International Civil Aviation Organization@Montréal",
    },
    "DE": {
        "uni": "Humboldt-Universität zu Berlin@Berlin;Technische Universität München@München;"
        "Universität Heidelberg@Heidelberg;RWTH Aachen University@Aachen",
        "hosp": "Charité – Universitätsmedizin Berlin@Berlin;Klinikum rechts der Isar@München;"
        "Universitätsklinikum Heidelberg@Heidelberg",
        "inst": "science=Max Planck Institute for Physics@München;"
        "health=German Cancer Research Center (DKFZ)@Heidelberg;"
        "eng=Fraunhofer Institute for Laser Technology@Aachen;"
        "health=Max Delbrück Center@Berlin",
        "co": "eng=Siemens@München;eng=BMW Group@München;pharma=Bayer@Berlin;tech=SAP@Heidelberg;"
        "finance=Deutsche Bank@Berlin;energy=E.ON@Aachen;health=Helios Kliniken@Berlin",
        "gov": "health=Robert Koch Institute@Berlin;science=Federal Ministry of Education and "
        "Research@Berlin;env=German Environment Agency@Berlin",
        "intl": "env=UNFCCC Secretariat@Berlin",
        "ngo": "social=Friedrich Ebert Foundation@Berlin;culture=Goethe-Institut@München",
    },
    "AT": {
        "uni": "Universität Wien@Wien;Technische Universität Wien@Wien;Universität Graz@Graz",
        "hosp": "Vienna General Hospital (AKH)@Wien",
        "inst": "science=Institute of Science and Technology Austria@Wien",
        "co": "energy=OMV@Wien;finance=Erste Group@Wien",
        "intl": "science=International Atomic Energy Agency (IAEA)@Wien;"
        "health=International Atomic Energy Agency (IAEA)@Wien;"
        "agri=International Atomic Energy Agency (IAEA)@Wien;"
        "law=International Atomic Energy Agency (IAEA)@Wien;"
        "energy=International Atomic Energy Agency (IAEA)@Wien;"
        "eng=United Nations Industrial Development Organization@Wien;"
        "law=United Nations Office on Drugs and Crime@Wien;finance=OPEC Fund@Wien",
    },
    "CH": {
        "uni": "ETH Zürich@Zürich;Université de Genève@Genève;EPFL@Lausanne",
        "hosp": "Hôpitaux Universitaires de Genève@Genève;Universitätsspital Zürich@Zürich",
        "inst": "science=CERN@Genève;science=Paul Scherrer Institute@Zürich",
        "co": "pharma=Novartis@Zürich;pharma=Roche@Zürich;agri=Nestlé@Lausanne;finance=UBS@Zürich",
        "intl": "health=World Health Organization@Genève;social=International Labour "
        "Organization@Genève;law=UNHCR@Genève;law=World Intellectual Property Organization@Genève;"
        "tech=International Telecommunication Union@Genève;env=World Meteorological "
        "Organization@Genève;finance=World Trade Organization@Genève",
        "ngo": "social=International Committee of the Red Cross@Genève;"
        "health=Gavi, the Vaccine Alliance@Genève",
    },
    "FR": {
        "uni": "Sorbonne Université@Paris;Université Grenoble Alpes@Grenoble;"
        "Université de Lyon@Lyon",
        "hosp": "Hôpital de la Pitié-Salpêtrière@Paris;Hospices Civils de Lyon@Lyon",
        "inst": "science=CNRS@Paris;health=Institut Pasteur@Paris;"
        "science=Institut Laue-Langevin@Grenoble;energy=CEA Grenoble@Grenoble",
        "co": "energy=TotalEnergies@Paris;pharma=Sanofi@Lyon;eng=Airbus@Paris;"
        "tech=Schneider Electric@Grenoble;finance=BNP Paribas@Paris",
        "intl": "culture=UNESCO@Paris;finance=OECD@Paris;energy=International Energy Agency@Paris;"
        "health=International Agency for Research on Cancer@Lyon",
    },
    "IT": {
        "uni": "Sapienza Università di Roma@Roma;Politecnico di Milano@Milano;"
        "Università di Trieste@Trieste",
        "hosp": "Policlinico Gemelli@Roma;Ospedale Niguarda@Milano",
        "inst": "science=Abdus Salam International Centre for Theoretical Physics@Trieste;"
        "science=Elettra Sincrotrone Trieste@Trieste;science=INFN@Roma",
        "co": "energy=Eni@Roma;eng=Leonardo@Roma;finance=UniCredit@Milano",
        "intl": "agri=Food and Agriculture Organization (FAO)@Roma;"
        "agri=World Food Programme@Roma;agri=IFAD@Roma",
    },
    "NL": {
        "uni": "Delft University of Technology@Delft;University of Amsterdam@Amsterdam;"
        "Utrecht University@Utrecht",
        "hosp": "Amsterdam UMC@Amsterdam;UMC Utrecht@Utrecht",
        "inst": "science=Nikhef@Amsterdam;eng=TNO@Delft",
        "co": "tech=ASML@Amsterdam;eng=Philips@Amsterdam;energy=Shell@Amsterdam;"
        "finance=ING@Amsterdam",
        "intl": "law=International Criminal Court@Amsterdam;law=OPCW@Amsterdam",
    },
    "SE": {
        "uni": "KTH Royal Institute of Technology@Stockholm;Lund University@Lund;"
        "Chalmers University of Technology@Göteborg",
        "hosp": "Karolinska University Hospital@Stockholm;Sahlgrenska University Hospital@Göteborg",
        "inst": "science=MAX IV Laboratory@Lund;health=Karolinska Institutet@Stockholm",
        "co": "tech=Ericsson@Stockholm;eng=Volvo Group@Göteborg;pharma=AstraZeneca Sweden@Göteborg",
    },
    "NO": {
        "uni": "University of Oslo@Oslo;Norwegian University of Science and Technology@Trondheim",
        "hosp": "Oslo University Hospital@Oslo;St. Olav's Hospital@Trondheim",
        "inst": "eng=SINTEF@Trondheim;env=Norwegian Institute for Water Research@Oslo",
        "co": "energy=Equinor@Oslo;agri=Mowi@Oslo",
    },
    "IE": {
        "uni": "Trinity College Dublin@Dublin;University College Cork@Cork",
        "hosp": "St James's Hospital@Dublin;Cork University Hospital@Cork",
        "co": "tech=Intel Ireland@Dublin;pharma=ICON plc@Dublin",
    },
    "ES": {
        "uni": "Universidad Complutense de Madrid@Madrid;Universitat de Barcelona@Barcelona",
        "hosp": "Hospital Universitario La Paz@Madrid;Hospital Clínic de Barcelona@Barcelona",
        "inst": "health=Barcelona Supercomputing Center@Barcelona",
        "co": "finance=Banco Santander@Madrid;energy=Iberdrola@Madrid;tech=Telefónica@Madrid",
    },
    "TR": {
        "uni": "Boğaziçi University@Istanbul;Middle East Technical University@Ankara",
        "hosp": "Ankara City Hospital@Ankara;Istanbul University Hospital@Istanbul",
        "co": "eng=Turkish Aerospace@Ankara;tech=Turkcell@Istanbul",
    },
    "AE": {
        "uni": "Khalifa University@Abu Dhabi;American University of Sharjah@Sharjah;"
        "University of Dubai@Dubai",
        "hosp": "Cleveland Clinic Abu Dhabi@Abu Dhabi;Rashid Hospital@Dubai",
        "inst": "tech=Technology Innovation Institute@Abu Dhabi",
        "co": "energy=ADNOC@Abu Dhabi;eng=Emirates Airline@Dubai;finance=Emirates NBD@Dubai;"
        "tech=G42@Abu Dhabi;health=Aster DM Healthcare@Dubai",
        "gov": "health=Dubai Health Authority@Dubai",
        "intl": "energy=International Renewable Energy Agency (IRENA)@Abu Dhabi",
    },
    "SA": {
        "uni": "King Abdullah University of Science and Technology@Thuwal;"
        "King Saud University@Riyadh;King Abdulaziz University@Jeddah",
        "hosp": "King Faisal Specialist Hospital@Riyadh;King Abdulaziz Medical City@Jeddah",
        "inst": "science=King Abdulaziz City for Science and Technology@Riyadh",
        "co": "energy=Saudi Aramco@Riyadh;eng=SABIC@Riyadh;finance=Al Rajhi Bank@Riyadh",
        "gov": "health=Saudi Ministry of Health@Riyadh",
        "intl": "finance=Islamic Development Bank@Jeddah",
    },
    "QA": {
        "uni": "Qatar University@Doha;Hamad Bin Khalifa University@Doha",
        "hosp": "Hamad Medical Corporation@Doha;Sidra Medicine@Doha",
        "co": "energy=QatarEnergy@Doha;eng=Qatar Airways@Doha",
    },
    "OM": {"uni": "Sultan Qaboos University@Muscat", "hosp": "Royal Hospital@Muscat"},
    "KW": {
        "uni": "Kuwait University@Kuwait City",
        "hosp": "Mubarak Al-Kabeer Hospital@Kuwait City",
    },
    "AU": {
        "uni": "University of Sydney@Sydney;University of Melbourne@Melbourne;"
        "University of Queensland@Brisbane",
        "hosp": "Royal Prince Alfred Hospital@Sydney;Royal Melbourne Hospital@Melbourne",
        "inst": "science=CSIRO@Melbourne;health=Walter and Eliza Hall Institute@Melbourne",
        "co": "energy=BHP@Melbourne;finance=Commonwealth Bank@Sydney;tech=Atlassian@Sydney",
    },
    "NZ": {
        "uni": "University of Auckland@Auckland;Victoria University of Wellington@Wellington",
        "hosp": "Auckland City Hospital@Auckland",
        "co": "agri=Fonterra@Auckland",
    },
    "CN": {
        "uni": "Tsinghua University@Beijing;Fudan University@Shanghai;Wuhan University@Wuhan",
        "hosp": "Peking Union Medical College Hospital@Beijing",
        "inst": "science=Chinese Academy of Sciences@Beijing",
        "co": "tech=Huawei@Shanghai;tech=Alibaba@Shanghai",
    },
    "JP": {
        "uni": "University of Tokyo@Tokyo;Osaka University@Osaka;University of Tsukuba@Tsukuba",
        "hosp": "University of Tokyo Hospital@Tokyo",
        "inst": "science=RIKEN@Tokyo;science=KEK@Tsukuba",
        "co": "eng=Toyota@Tokyo;tech=Sony@Tokyo;pharma=Takeda@Osaka",
    },
    "KR": {
        "uni": "Seoul National University@Seoul;KAIST@Daejeon",
        "co": "tech=Samsung Electronics@Seoul;eng=Hyundai Motor Company@Seoul",
    },
    "MY": {
        "uni": "Universiti Malaya@Kuala Lumpur;Universiti Sains Malaysia@Penang",
        "co": "energy=Petronas@Kuala Lumpur",
    },
    "SG": {
        "uni": "National University of Singapore@Singapore;"
        "Nanyang Technological University@Singapore",
        "hosp": "Singapore General Hospital@Singapore",
        "inst": "science=A*STAR@Singapore",
        "co": "finance=DBS Bank@Singapore;tech=Grab@Singapore",
    },
}

# Plausible anywhere; {city} and {country} are the member's.
GENERIC = {
    "uni": "University of {city};{city} Institute of Technology",
    "med": "{city} Medical College",
    "hosp": "{city} General Hospital;{city} University Hospital",
    "inst": "science={country} National Research Council;health={country} Institute of Public "
    "Health;agri={country} Agricultural Research Institute;env={country} Institute of Water and "
    "Environment;energy={city} Energy Research Centre;social={city} Institute for Policy Studies;"
    "finance={city} Institute for Economic Research;culture={city} Institute of Asian Studies",
    "co": "tech={city} Software Group;finance={city} Capital Partners;energy={country} Power "
    "Company;pharma={country} Pharmaceuticals;agri={country} Agro Industries;health={city} "
    "Private Hospital;eng={city} Engineering Consultants;env={city} Environmental Services;"
    "social={city} Research and Consulting;law={city} Law Partners;media={country} Broadcasting;"
    "culture={city} Publishing House;science={country} Scientific Instruments",
    "gov": "tech=Ministry of Digital Affairs;finance=Ministry of Finance;energy=Ministry of "
    "Energy;pharma=Medicines Regulatory Agency;agri=Ministry of Agriculture;"
    "health=Ministry of Health;env=National Environment Agency;"
    "eng=Ministry of Infrastructure;"
    "social=Ministry of Social Affairs;law=Ministry of Justice;media=Ministry of Information;"
    "culture=Ministry of Culture;science=Ministry of Science and Technology",
    "intl": "health=World Health Organization country office;agri=FAO country office;"
    "finance=World Bank country office;social=UNDP country office;law=UNHCR country office;"
    "culture=UNESCO field office;env=UNEP regional office;energy=UNDP country office;"
    "tech=ITU regional office;eng=UNOPS;media=UNICEF country office;science=UNESCO field office;"
    "pharma=World Health Organization country office",
    "ngo": "health=Médecins Sans Frontières;agri=Oxfam;social=Save the Children;"
    "culture=Aga Khan Trust for Culture;law=Amnesty International;env=WWF;media=BBC Media Action;"
    "finance=Aga Khan Foundation;eng=Engineers Without Borders;energy=WWF;tech=Code for All;"
    "science=Aga Khan Foundation;pharma=Médecins Sans Frontières",
}
