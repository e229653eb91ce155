"""The demo provider's client companies, their people and the provider's own staff.

Phone numbers come from the ranges Ofcom (UK) and the NANP (US) reserve for drama and
examples, and every domain ends in .example, so nothing here reaches a real person.
"""

from dataclasses import dataclass, field

# Ofcom drama ranges: 1,000 numbers each, written "+44 <area> <local>" with the last three digits free.
PHONE_RANGES = {
    "London": "+44 20 7946 0{:03d}",
    "Leeds": "+44 113 496 0{:03d}",
    "Sheffield": "+44 114 496 0{:03d}",
    "Nottingham": "+44 115 496 0{:03d}",
    "Leicester": "+44 116 496 0{:03d}",
    "Bristol": "+44 117 496 0{:03d}",
    "Birmingham": "+44 121 496 0{:03d}",
    "Liverpool": "+44 151 496 0{:03d}",
    "Manchester": "+44 161 496 0{:03d}",
    "Newcastle": "+44 191 498 0{:03d}",
    "New York": "+1 212 555 01{:02d}",  # NANP fictional range: 100 numbers
}
MOBILE_RANGE = "+44 7700 900{:03d}"


@dataclass(frozen=True)
class SiteSpec:
    name: str
    address: str
    city: str
    postcode: str
    phone_range: str | None  # key of PHONE_RANGES, None when the site has no landline
    country: str = "United Kingdom"
    timezone: str = "Europe/London"
    share: float = 1.0  # share of the client's people based here


@dataclass(frozen=True)
class Person:
    first_name: str
    last_name: str
    title: str
    vip: bool = False
    portal: str | None = None  # "client_admin" or "client_user"


@dataclass(frozen=True)
class ClientSpec:
    code: str
    name: str
    industry: str
    domain: str
    people: int  # contacts to create, key people included
    intensity: float  # tickets per person relative to the average client
    sla: str
    hourly_rate: int
    sites: tuple
    key_people: tuple
    titles: tuple  # (title, weight) for everyone else
    software: tuple  # catalogue names the client runs
    lob: tuple  # its line-of-business applications (a subset of software)
    rooms: tuple
    folders: tuple
    servers: tuple = ()
    devices: tuple = ("Dell Latitude 5440", "HP EliteBook 840 G10", "Lenovo ThinkPad T14")
    printers: tuple = ("HP LaserJet Pro M404", "Brother MFC-L8900CDW")
    # Business hours: (weekday numbers, "HH:MM", "HH:MM"); Monday is 0.
    hours: tuple = (((0, 1, 2, 3, 4), "08:00", "18:00"),)
    has_vpn: bool = False
    open_saturdays: bool = False
    profile: str = "office"  # arrival pattern: office, hospitality or school
    extra_holidays: tuple = ()  # (month, day, name) closures on top of bank holidays
    website: bool = True


OFFICE_SOFTWARE = ("Microsoft 365", "Outlook", "Teams", "Word", "Excel", "OneDrive", "Windows 11", "Chrome")

CLIENTS = (
    ClientSpec(
        code="HARB",
        name="Harbourside Dental Practice",
        industry="Dental practice",
        domain="harbourside-dental.example",
        people=11,
        intensity=1.35,
        sla="Silver 8h",
        hourly_rate=85,
        sites=(SiteSpec("Main surgery", "14 Quay Street", "Bristol", "BS1 4XE", "Bristol"),),
        key_people=(
            Person("Helen", "Marsh", "Practice Manager", vip=True, portal="client_admin"),
            Person("Rajesh", "Patel", "Principal Dentist", vip=True),
        ),
        titles=(("Associate Dentist", 3), ("Dental Nurse", 4), ("Receptionist", 2), ("Hygienist", 1)),
        software=OFFICE_SOFTWARE + ("Dentrix", "Adobe Acrobat", "Xero"),
        lob=("Dentrix",),
        rooms=("Surgery 1", "Surgery 2", "Surgery 3", "reception", "the decontamination room", "the X-ray room"),
        folders=("Patient letters", "Practice policies", "Payroll"),
        servers=("HARB-SRV01",),
        hours=(((0, 1, 2, 3, 4), "08:00", "18:00"), ((5,), "09:00", "13:00")),
        open_saturdays=True,
    ),
    ClientSpec(
        code="WLAW",
        name="Whitcombe & Lowe Solicitors",
        industry="Legal services",
        domain="whitcombe-lowe.example",
        people=28,
        intensity=1.25,
        sla="Gold 4h",
        hourly_rate=95,
        sites=(
            SiteSpec("Leeds office", "3 Park Square East", "Leeds", "LS1 2NE", "Leeds", share=0.75),
            SiteSpec("York office", "22 Micklegate", "York", "YO1 6JH", "Leeds", share=0.25),
        ),
        key_people=(
            Person("Claire", "Dawson", "Office Manager", portal="client_admin"),
            Person("Jonathan", "Whitcombe", "Senior Partner", vip=True),
            Person("Amanda", "Lowe", "Managing Partner", vip=True),
            Person("Ben", "Carter", "Trainee Solicitor", portal="client_user"),
        ),
        titles=(("Solicitor", 5), ("Associate", 3), ("Paralegal", 4), ("Legal Secretary", 4), ("Receptionist", 1),
                ("Accounts Assistant", 1), ("Partner", 1)),
        software=OFFICE_SOFTWARE + ("Clio", "Adobe Acrobat", "SharePoint"),
        lob=("Clio", "Adobe Acrobat"),
        rooms=("meeting room 1", "meeting room 2", "reception", "the partners' corridor", "the post room"),
        folders=("Client matters", "Precedents", "Accounts", "HR"),
        servers=("WLAW-DC01",),
        hours=(((0, 1, 2, 3, 4), "08:30", "17:30"),),
        has_vpn=True,
    ),
    ClientSpec(
        code="PENN",
        name="Pennine Precision Engineering Ltd",
        industry="Manufacturing",
        domain="pennine-precision.example",
        people=38,
        intensity=0.8,
        sla="Gold 4h",
        hourly_rate=90,
        sites=(
            SiteSpec("Halifax works", "Unit 4, Calder Trading Estate", "Halifax", "HX1 5ER", "Leeds", share=0.8),
            SiteSpec("Brighouse unit", "Unit 11, Armytage Road", "Brighouse", "HD6 1QF", "Leeds", share=0.2),
        ),
        key_people=(
            Person("Gary", "Holroyd", "Operations Director", vip=True, portal="client_admin"),
            Person("Susan", "Firth", "Managing Director", vip=True),
            Person("Karen", "Lumb", "Production Planner", portal="client_user"),
        ),
        titles=(("CNC Programmer", 3), ("Machinist", 3), ("Quality Inspector", 2), ("Design Engineer", 3),
                ("Purchasing Officer", 1), ("Stores Supervisor", 1), ("Accounts Clerk", 2), ("Shift Manager", 2),
                ("Sales Engineer", 2)),
        software=OFFICE_SOFTWARE + ("SAP Business One", "AutoCAD", "SOLIDWORKS", "Windows Server 2019",
                                    "Veeam Backup & Replication", "FortiClient VPN"),
        lob=("SAP Business One", "SOLIDWORKS", "AutoCAD"),
        rooms=("the machine shop", "goods in", "the quality lab", "the drawing office", "the server room",
               "the canteen", "the shop floor office"),
        folders=("Drawings", "Quality", "Purchasing", "Production"),
        servers=("PENN-DC01", "PENN-FS01", "PENN-SQL01", "PENN-HV01"),
        hours=(((0, 1, 2, 3, 4), "07:00", "17:00"),),
        has_vpn=True,
        extra_holidays=((12, 27, "Christmas shutdown"), (12, 28, "Christmas shutdown"),
                        (12, 29, "Christmas shutdown"), (12, 30, "Christmas shutdown"), (12, 31, "Christmas shutdown")),
    ),
    ClientSpec(
        code="ASHC",
        name="Ashdown Clarke Accountants",
        industry="Accountancy",
        domain="ashdown-clarke.example",
        people=20,
        intensity=1.1,
        sla="Silver 8h",
        hourly_rate=85,
        sites=(SiteSpec("Sheffield office", "41 Campo Lane", "Sheffield", "S1 2EG", "Sheffield"),),
        key_people=(
            Person("Fiona", "Clarke", "Managing Partner", vip=True, portal="client_admin"),
            Person("Michael", "Ashdown", "Tax Partner", vip=True),
            Person("Leanne", "Booth", "Practice Administrator", portal="client_user"),
        ),
        titles=(("Accountant", 5), ("Tax Senior", 3), ("Audit Senior", 2), ("Bookkeeper", 3), ("Payroll Administrator", 2),
                ("Trainee Accountant", 2)),
        software=OFFICE_SOFTWARE + ("Sage 50", "Xero", "QuickBooks", "Adobe Acrobat"),
        lob=("Sage 50", "Xero", "QuickBooks"),
        rooms=("the client meeting room", "reception", "the payroll office", "the partners' office"),
        folders=("Clients", "Payroll", "Tax returns", "Practice admin"),
        servers=("ASHC-SRV01",),
        hours=(((0, 1, 2, 3, 4), "08:30", "17:30"),),
        has_vpn=True,
    ),
    ClientSpec(
        code="STAL",
        name="St Aldhelm's Primary School",
        industry="Education",
        domain="staldhelms-school.example",
        people=26,
        intensity=0.85,
        sla="Silver 8h",
        hourly_rate=70,
        sites=(SiteSpec("School", "Church Lane", "Beeston", "NG9 2DA", "Nottingham"),),
        key_people=(
            Person("Joanne", "Whitworth", "School Business Manager", portal="client_admin"),
            Person("David", "Ainsworth", "Headteacher", vip=True),
            Person("Laura", "Pickering", "Year 4 Teacher", portal="client_user"),
        ),
        titles=(("Class Teacher", 8), ("Teaching Assistant", 5), ("SENCo", 1), ("School Administrator", 2),
                ("Deputy Headteacher", 1), ("Site Manager", 1)),
        software=("Microsoft 365", "Outlook", "Teams", "Word", "Excel", "Windows 11", "Chrome", "SIMS"),
        lob=("SIMS",),
        rooms=("the Year 3 classroom", "the Year 5 classroom", "the ICT suite", "the school office", "the staff room",
               "the hall", "the library"),
        folders=("Curriculum", "Staff shared", "Office", "SEN"),
        servers=("STAL-SRV01",),
        devices=("Dell Latitude 3440", "Lenovo 300w Chromebook", "HP ProBook 440"),
        hours=(((0, 1, 2, 3, 4), "07:30", "16:30"),),
        profile="school",
    ),
    ClientSpec(
        code="RFB",
        name="Riverside Food Bank",
        industry="Charity",
        domain="riverside-foodbank.example",
        people=8,
        intensity=0.9,
        sla="Bronze 16h",
        hourly_rate=55,
        sites=(SiteSpec("Warehouse & office", "Unit 2, Frog Island", "Leicester", "LE3 5AG", "Leicester"),),
        key_people=(
            Person("Margaret", "Doyle", "Operations Coordinator", portal="client_admin"),
            Person("Peter", "Haines", "Chair of Trustees", vip=True),
        ),
        titles=(("Volunteer Coordinator", 2), ("Warehouse Lead", 2), ("Fundraising Officer", 1), ("Finance Volunteer", 1)),
        software=("Microsoft 365", "Outlook", "Teams", "Excel", "Windows 11", "Chrome", "Xero", "Salesforce Nonprofit Cloud"),
        lob=("Salesforce Nonprofit Cloud", "Xero"),
        rooms=("the office", "the warehouse", "the volunteers' room"),
        folders=("Volunteers", "Donations", "Trustees"),
        devices=("Lenovo IdeaPad 3", "HP 250 G9"),
        printers=("Brother HL-L2350DW",),
        hours=(((0, 1, 2, 3, 4), "09:00", "16:00"), ((5,), "09:00", "12:00")),
        open_saturdays=True,
    ),
    ClientSpec(
        code="HMA",
        name="Hollis Marr Architects",
        industry="Architecture",
        domain="hollis-marr.example",
        people=14,
        intensity=1.15,
        sla="Silver 8h",
        hourly_rate=90,
        sites=(SiteSpec("Studio", "5 Jordan Street", "Manchester", "M15 4PY", "Manchester"),),
        key_people=(
            Person("Natalie", "Hollis", "Director", vip=True, portal="client_admin"),
            Person("Owen", "Marr", "Director", vip=True),
        ),
        titles=(("Architect", 5), ("Architectural Technologist", 3), ("Part II Architect", 2), ("Studio Manager", 1),
                ("Visualiser", 1)),
        software=OFFICE_SOFTWARE + ("AutoCAD", "Revit", "SketchUp", "Adobe Creative Cloud", "Adobe Acrobat"),
        lob=("Revit", "AutoCAD", "SketchUp"),
        rooms=("the studio", "the model room", "the meeting room", "the print room"),
        folders=("Projects", "Drawings", "Renders", "Admin"),
        servers=("HMA-NAS01",),
        devices=("Dell Precision 3581", "HP ZBook Power G10", "Dell Precision 3660 workstation"),
        printers=("HP DesignJet T650 plotter", "Canon imageRUNNER C3226i"),
        hours=(((0, 1, 2, 3, 4), "09:00", "18:00"),),
    ),
    ClientSpec(
        code="KING",
        name="Kingsley & Co Estate Agents",
        industry="Real estate",
        domain="kingsley-estates.example",
        people=12,
        intensity=1.05,
        sla="Silver 8h",
        hourly_rate=80,
        sites=(
            SiteSpec("Harrogate branch", "18 James Street", "Harrogate", "HG1 1RF", "Leeds", share=0.5),
            SiteSpec("Ilkley branch", "7 The Grove", "Ilkley", "LS29 9EE", "Leeds", share=0.3),
            SiteSpec("Otley branch", "30 Kirkgate", "Otley", "LS21 3HJ", "Leeds", share=0.2),
        ),
        key_people=(
            Person("Richard", "Kingsley", "Managing Director", vip=True, portal="client_admin"),
            Person("Emma", "Stoddart", "Lettings Manager"),
        ),
        titles=(("Sales Negotiator", 4), ("Lettings Negotiator", 2), ("Branch Manager", 2), ("Valuer", 1),
                ("Property Administrator", 2)),
        software=OFFICE_SOFTWARE + ("Reapit", "Adobe Acrobat"),
        lob=("Reapit",),
        rooms=("the front office", "the valuation room", "the back office"),
        folders=("Lettings", "Sales", "Marketing"),
        hours=(((0, 1, 2, 3, 4), "09:00", "17:30"), ((5,), "09:00", "16:00")),
        open_saturdays=True,
    ),
    ClientSpec(
        code="NGL",
        name="Northgate Logistics Ltd",
        industry="Logistics",
        domain="northgate-logistics.example",
        people=42,
        intensity=0.85,
        sla="Gold 4h",
        hourly_rate=90,
        sites=(
            SiteSpec("Wakefield hub", "Calder Park, Denby Dale Road", "Wakefield", "WF4 3BB", "Leeds", share=0.55),
            SiteSpec("Doncaster depot", "Unit 9, Lakeside Boulevard", "Doncaster", "DN4 5PL", "Sheffield", share=0.3),
            SiteSpec("Rotterdam depot", "Waalhaven Zuidzijde 21", "Rotterdam", "3089 JH", None,
                     country="Netherlands", timezone="Europe/Amsterdam", share=0.15),
        ),
        key_people=(
            Person("Stuart", "Greenwood", "IT & Facilities Manager", portal="client_admin"),
            Person("Catherine", "Northgate", "Managing Director", vip=True),
            Person("Paul", "Metcalfe", "Finance Director", vip=True),
            Person("Dean", "Walsh", "Transport Planner", portal="client_user"),
        ),
        titles=(("Transport Planner", 5), ("Warehouse Supervisor", 4), ("Customer Service Advisor", 5),
                ("Driver Trainer", 1), ("Accounts Assistant", 2), ("Shift Manager", 3), ("Stock Controller", 2),
                ("Traffic Clerk", 2)),
        software=OFFICE_SOFTWARE + ("SAP Business One", "Mandata", "FortiClient VPN", "Windows Server 2019",
                                    "Veeam Backup & Replication"),
        lob=("Mandata", "SAP Business One"),
        rooms=("the transport office", "goods in", "loading bay 3", "the drivers' room", "the warehouse office",
               "the server cupboard"),
        folders=("Transport", "Customer service", "Finance", "Health & safety"),
        servers=("NGL-DC01", "NGL-FS01", "NGL-APP01", "NGL-HV01"),
        printers=("Zebra ZT411 label printer", "Kyocera ECOSYS M3655idn", "HP LaserJet Enterprise M507"),
        hours=(((0, 1, 2, 3, 4), "06:00", "20:00"), ((5,), "07:00", "13:00")),
        has_vpn=True,
        open_saturdays=True,
    ),
    ClientSpec(
        code="OAKV",
        name="Oakfield Veterinary Clinic",
        industry="Veterinary",
        domain="oakfield-vets.example",
        people=9,
        intensity=1.2,
        sla="Silver 8h",
        hourly_rate=80,
        sites=(SiteSpec("Clinic", "112 Allerton Road", "Liverpool", "L18 2DG", "Liverpool"),),
        key_people=(
            Person("Sian", "Roberts", "Practice Manager", portal="client_admin"),
            Person("Andrew", "Oakes", "Clinical Director", vip=True),
        ),
        titles=(("Veterinary Surgeon", 3), ("Veterinary Nurse", 3), ("Receptionist", 2)),
        software=OFFICE_SOFTWARE + ("RxWorks", "Xero"),
        lob=("RxWorks",),
        rooms=("consult room 1", "consult room 2", "reception", "the prep room", "the X-ray room"),
        folders=("Clinical", "Practice admin", "Rotas"),
        hours=(((0, 1, 2, 3, 4), "08:00", "19:00"), ((5,), "09:00", "13:00")),
        open_saturdays=True,
    ),
    ClientSpec(
        code="SAFF",
        name="Saffron & Salt Restaurant Group",
        industry="Hospitality",
        domain="saffron-salt.example",
        people=16,
        intensity=1.0,
        sla="Silver 8h",
        hourly_rate=80,
        sites=(
            SiteSpec("Head office", "2 Wharf Approach", "Leeds", "LS1 4GH", "Leeds", share=0.3),
            SiteSpec("Call Lane", "45 Call Lane", "Leeds", "LS1 6DT", "Leeds", share=0.25),
            SiteSpec("Northern Quarter", "19 Thomas Street", "Manchester", "M4 1EU", "Manchester", share=0.25),
            SiteSpec("Micklegate", "88 Micklegate", "York", "YO1 6LF", "Leeds", share=0.2),
        ),
        key_people=(
            Person("Marco", "Bellini", "Operations Manager", portal="client_admin"),
            Person("Yasmin", "Kaur", "Founder", vip=True),
            Person("Tom", "Hargreaves", "General Manager, Call Lane", portal="client_user"),
        ),
        titles=(("General Manager", 2), ("Assistant Manager", 3), ("Head Chef", 3), ("Bookkeeper", 1),
                ("Marketing Executive", 1), ("Bar Manager", 2)),
        software=("Microsoft 365", "Outlook", "Excel", "Windows 11", "Chrome", "Lightspeed Restaurant", "ResDiary", "Xero"),
        lob=("Lightspeed Restaurant", "ResDiary"),
        rooms=("the bar", "the kitchen pass", "the front of house", "the back office", "the private dining room"),
        folders=("Menus", "Rotas", "Finance"),
        devices=("HP ProBook 450", "Lenovo ThinkPad E14", "iPad (10th generation)"),
        printers=("Epson TM-m30III receipt printer", "Epson TM-U220 kitchen printer", "HP OfficeJet Pro 9010"),
        hours=(((0, 1, 2, 3, 4, 5, 6), "10:00", "22:00"),),
        open_saturdays=True,
        profile="hospitality",
    ),
    ClientSpec(
        code="MERL",
        name="Meridian Clinical Laboratories",
        industry="Healthcare (pathology laboratory)",
        domain="meridian-labs.example",
        people=30,
        intensity=1.15,
        sla="Platinum 2h",
        hourly_rate=105,
        sites=(
            SiteSpec("Birmingham laboratory", "Innovation Court, Holt Street", "Birmingham", "B7 4BP", "Birmingham", share=0.8),
            SiteSpec("Coventry collection centre", "6 Far Gosford Street", "Coventry", "CV1 5DZ", "Birmingham", share=0.2),
        ),
        key_people=(
            Person("Imran", "Qureshi", "Laboratory Manager", vip=True, portal="client_admin"),
            Person("Elizabeth", "Grant", "Medical Director", vip=True),
            Person("Nicola", "Shaw", "Quality Manager", portal="client_user"),
        ),
        titles=(("Biomedical Scientist", 7), ("Medical Laboratory Assistant", 5), ("Phlebotomist", 2),
                ("Sample Reception Officer", 3), ("Quality Officer", 1), ("Data Analyst", 1), ("Administrator", 2)),
        software=OFFICE_SOFTWARE + ("LabWare LIMS", "Adobe Acrobat", "Windows Server 2019", "Veeam Backup & Replication",
                                    "FortiClient VPN"),
        lob=("LabWare LIMS",),
        rooms=("sample reception", "the haematology lab", "the biochemistry lab", "the microbiology lab",
               "the quality office", "the server room"),
        folders=("QMS", "Results archive", "Validation", "Admin"),
        servers=("MERL-DC01", "MERL-LIMS01", "MERL-SQL01", "MERL-FS01"),
        printers=("Zebra ZD421 label printer", "Kyocera ECOSYS M3655idn"),
        hours=(((0, 1, 2, 3, 4), "07:00", "19:00"), ((5,), "08:00", "12:00")),
        has_vpn=True,
        open_saturdays=True,
    ),
    ClientSpec(
        code="BWM",
        name="Brightwave Marketing",
        industry="Marketing agency",
        domain="brightwave.example",
        people=20,
        intensity=1.1,
        sla="Silver 8h",
        hourly_rate=85,
        sites=(
            SiteSpec("Manchester studio", "Hatch, 4 Oxford Road", "Manchester", "M1 5QA", "Manchester", share=0.8),
            SiteSpec("New York office", "110 Bowery, 4th floor", "New York", "NY 10013", "New York",
                     country="United States", timezone="America/New_York", share=0.2),
        ),
        key_people=(
            Person("Chloe", "Brennan", "Operations Director", portal="client_admin"),
            Person("Luke", "Adeyemi", "Founder & CEO", vip=True),
            Person("Sophie", "Turner", "Account Manager", portal="client_user"),
        ),
        titles=(("Designer", 4), ("Account Manager", 3), ("Copywriter", 2), ("Social Media Executive", 2),
                ("Developer", 2), ("Project Manager", 2), ("Creative Director", 1)),
        software=("Microsoft 365", "Outlook", "Teams", "Word", "Excel", "OneDrive", "macOS", "Chrome",
                  "Adobe Creative Cloud", "Figma", "HubSpot", "Slack"),
        lob=("Adobe Creative Cloud", "Figma", "HubSpot"),
        rooms=("the studio", "the edit suite", "the boardroom", "the kitchen"),
        folders=("Clients", "Brand assets", "New business", "Finance"),
        servers=("BWM-NAS01",),
        devices=("MacBook Pro 14-inch", "MacBook Air 13-inch", "iMac 24-inch"),
        printers=("Canon imageRUNNER C3226i",),
        hours=(((0, 1, 2, 3, 4), "09:00", "18:00"),),
    ),
    ClientSpec(
        code="CALD",
        name="Calder Build Ltd",
        industry="Construction",
        domain="calder-build.example",
        people=26,
        intensity=0.9,
        sla="Silver 8h",
        hourly_rate=85,
        sites=(
            SiteSpec("Head office", "Riverside House, Wakefield Road", "Huddersfield", "HD5 9AA", "Leeds", share=0.55),
            SiteSpec("Yard", "Bradley Junction Industrial Estate", "Huddersfield", "HD2 1UG", "Leeds", share=0.2),
            SiteSpec("Site cabin – Kirkstall Forge", "Kirkstall Forge, Abbey Road", "Leeds", "LS5 3NF", None, share=0.25),
        ),
        key_people=(
            Person("Mark", "Calder", "Managing Director", vip=True, portal="client_admin"),
            Person("Julie", "Sutcliffe", "Office Manager"),
            Person("Ryan", "Dyson", "Site Manager", portal="client_user"),
        ),
        titles=(("Site Manager", 4), ("Quantity Surveyor", 3), ("Estimator", 2), ("Project Manager", 3),
                ("Buyer", 1), ("Health & Safety Advisor", 1), ("Accounts Assistant", 2), ("CAD Technician", 2)),
        software=OFFICE_SOFTWARE + ("AutoCAD", "Sage 50", "Procore", "FortiClient VPN", "Adobe Acrobat"),
        lob=("Procore", "Sage 50", "AutoCAD"),
        rooms=("the site cabin", "the estimating office", "the yard office", "the boardroom"),
        folders=("Tenders", "Projects", "H&S", "Accounts"),
        servers=("CALD-SRV01",),
        devices=("Dell Latitude 5440", "Panasonic Toughbook 55", "iPad Pro 11-inch"),
        hours=(((0, 1, 2, 3, 4), "07:30", "17:00"),),
        has_vpn=True,
    ),
    ClientSpec(
        code="GCT",
        name="Greenway Community Trust",
        industry="Non-profit",
        domain="greenway-trust.example",
        people=9,
        intensity=0.95,
        sla="Bronze 16h",
        hourly_rate=55,
        sites=(SiteSpec("Community centre", "Greenway Centre, Shields Road", "Newcastle upon Tyne", "NE6 1DL", "Newcastle"),),
        key_people=(
            Person("Alison", "Reay", "Centre Manager", portal="client_admin"),
            Person("George", "Milburn", "Chief Executive", vip=True),
        ),
        titles=(("Project Worker", 3), ("Youth Worker", 2), ("Finance Officer", 1), ("Volunteer Coordinator", 1)),
        software=("Microsoft 365", "Outlook", "Teams", "Word", "Excel", "Windows 11", "Chrome", "QuickBooks",
                  "Salesforce Nonprofit Cloud"),
        lob=("QuickBooks", "Salesforce Nonprofit Cloud"),
        rooms=("the main hall", "the office", "the IT room", "the café"),
        folders=("Projects", "Funding bids", "Finance"),
        devices=("Lenovo IdeaPad 3", "HP 250 G9"),
        printers=("Brother MFC-L3770CDW",),
        hours=(((0, 1, 2, 3, 4), "09:00", "17:00"),),
    ),
)


@dataclass(frozen=True)
class StaffSpec:
    username: str
    first_name: str
    last_name: str
    team: str | None
    ticket_weight: float = 1.0  # share of the team's tickets
    reactive_share: float = 0.6  # of logged hours
    non_reactive: dict = field(default_factory=dict)  # proactive/project/admin split of the rest


SERVICE_DESK = "Service desk"
PROJECTS = "Projects & infrastructure"

ADMIN = StaffSpec("admin", "Sam", "Fletcher", None)
TECHNICIANS = (
    StaffSpec("priya", "Priya", "Shah", SERVICE_DESK, 1.15, 0.62, {"proactive": 0.55, "project": 0.15, "admin": 0.30}),
    StaffSpec("tom", "Tom", "Whitaker", SERVICE_DESK, 1.0, 0.62, {"proactive": 0.55, "project": 0.2, "admin": 0.25}),
    StaffSpec("aisha", "Aisha", "Okafor", SERVICE_DESK, 0.95, 0.60, {"proactive": 0.5, "project": 0.25, "admin": 0.25}),
    StaffSpec("daniel", "Daniel", "Byrne", SERVICE_DESK, 0.9, 0.63, {"proactive": 0.6, "project": 0.15, "admin": 0.25}),
    StaffSpec("marek", "Marek", "Nowak", PROJECTS, 1.0, 0.58, {"proactive": 0.3, "project": 0.55, "admin": 0.15}),
    StaffSpec("rachel", "Rachel", "Holt", PROJECTS, 1.0, 0.57, {"proactive": 0.35, "project": 0.5, "admin": 0.15}),
)

FIRST_NAMES = (
    "Adam", "Adeola", "Aidan", "Alex", "Alice", "Amelia", "Amir", "Andrea", "Anna", "Anthony", "Beth", "Bilal",
    "Caitlin", "Callum", "Carl", "Charlotte", "Chris", "Craig", "Daisy", "Daniel", "Darren", "Deborah", "Eleanor",
    "Ellie", "Emily", "Ethan", "Farah", "Gemma", "Grace", "Hannah", "Harry", "Hassan", "Holly", "Ian", "Imogen",
    "Isaac", "Jack", "Jade", "James", "Jasmine", "Jason", "Jennifer", "Jessica", "Joe", "Josh", "Kate", "Keith",
    "Kelly", "Kieran", "Kirsty", "Lauren", "Lee", "Lewis", "Liam", "Lisa", "Lucy", "Mandeep", "Maria", "Matthew",
    "Megan", "Mohammed", "Molly", "Naomi", "Nathan", "Neil", "Nikhil", "Oliver", "Olivia", "Oscar", "Patrick",
    "Phoebe", "Rachel", "Rebecca", "Rhys", "Robert", "Rosie", "Ruth", "Ryan", "Sadia", "Sam", "Sarah", "Scott",
    "Shauna", "Simon", "Sophie", "Stephen", "Tariq", "Thomas", "Tina", "Vicky", "Wei", "William", "Zara", "Zoe",
)
LAST_NAMES = (
    "Ahmed", "Ali", "Allen", "Armitage", "Atkinson", "Bailey", "Baker", "Barker", "Bell", "Bennett", "Birch",
    "Bradley", "Brooks", "Brown", "Butler", "Chapman", "Chen", "Clark", "Collins", "Cooper", "Cox", "Crossley",
    "Davies", "Dixon", "Edwards", "Ellis", "Evans", "Fletcher", "Foster", "Gibson", "Graham", "Gray", "Hall",
    "Harris", "Harrison", "Hewitt", "Hill", "Hughes", "Hussain", "Jackson", "James", "Jenkins", "Johnson",
    "Jones", "Kaur", "Kelly", "Khan", "King", "Lambert", "Lee", "Lewis", "Lloyd", "Marshall", "Martin", "Mason",
    "Mitchell", "Moore", "Morgan", "Morris", "Murphy", "Murray", "Nguyen", "O'Brien", "Owen", "Palmer", "Parker",
    "Pearson", "Phillips", "Price", "Rahman", "Reid", "Richardson", "Roberts", "Robinson", "Rogers", "Saunders",
    "Scott", "Shaw", "Simpson", "Singh", "Smith", "Stevens", "Sykes", "Taylor", "Thompson", "Turner", "Walker",
    "Ward", "Watson", "White", "Wilkinson", "Williams", "Wilson", "Wood", "Wright", "Young",
)
