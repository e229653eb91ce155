"""Ticket subjects and descriptions, by subcategory and (for line-of-business work) by client.

Placeholders: {first} {name} requester; {room} {site} {server} {device} {printer} {folder}
{lob} (the client's line-of-business app) {app} (an Office app) {colleague} {newname}
{date} {n} {domain} {wifi} {sender} {ref}. ``needs`` filters templates to clients that have
servers, a VPN, Macs or Windows PCs; ``only`` to the listed client codes.
"""

from dataclasses import dataclass

from steward.desk.choices import TicketType

HIGH, MEDIUM, LOW = 1, 2, 3


@dataclass(frozen=True)
class Template:
    key: str  # "Parent/Child" subcategory
    subject: str
    body: str
    iu: tuple = (LOW, MEDIUM)  # impact, urgency
    type: str = TicketType.INCIDENT
    sw: str | None = None  # a catalogue name, "{lob}" or "{app}"
    needs: str | None = None  # "server", "vpn", "mac", "windows"
    only: tuple = ()
    weight: float = 1.0
    tags: tuple = ()
    # What fixed it: an index into timeline.FIXES[key], or its own (internal note, public reply).
    fix: int | tuple | None = None


T = Template
SR = TicketType.SERVICE_REQUEST
CHANGE = TicketType.CHANGE

# Relative frequency of each subcategory among everyday tickets (alerts and outages come on top).
SUBCATEGORY_WEIGHTS = {
    "Hardware/Laptop": 7,
    "Hardware/Desktop": 3,
    "Hardware/Printer": 8,
    "Hardware/Monitor & peripherals": 4,
    "Hardware/Server": 1.2,
    "Hardware/Network device": 1,
    "Hardware/Mobile device": 3,
    "Software/Email": 10,
    "Software/Office apps": 6,
    "Software/Line-of-business": 10,
    "Software/Browser": 2,
    "Software/Operating system": 4,
    "Software/PDF & documents": 2.5,
    "Accounts & access/Password reset": 8,
    "Accounts & access/New starter": 3.5,
    "Accounts & access/Leaver": 2,
    "Accounts & access/Permissions": 5,
    "Accounts & access/MFA": 4,
    "Network/Wi-Fi": 4,
    "Network/VPN": 3,
    "Network/Internet": 1.5,
    "Network/Firewall": 1,
    "Security/Phishing": 4,
    "Security/Anti-virus": 1.2,
    "Security/Suspicious sign-in": 1.3,
    "Security/Data loss": 0.6,
    "Backup/Failed backup": 0.5,
    "Backup/Restore request": 2.5,
    "Telephony/Desk phone": 2,
    "Telephony/Call queue": 1,
    "Telephony/Voicemail": 1,
}

# How long a fix takes relative to other tickets of its priority: a password reset takes minutes.
EFFORT = {
    "Accounts & access/Password reset": 0.08,
    "Accounts & access/MFA": 0.2,
    "Telephony/Voicemail": 0.3,
    "Security/Phishing": 0.3,
    "Software/Email": 0.6,
}

TEMPLATES = (
    # --- Hardware -------------------------------------------------------------------------
    T("Hardware/Laptop", "Laptop won't turn on", "My laptop ({device}) won't power on this morning. The charging light comes on but the screen stays black. I've tried holding the power button for 30 seconds.", (LOW, HIGH), fix=1),
    T("Hardware/Laptop", "Laptop battery draining very fast", "My {device} goes from full to empty in about an hour now, even when I'm only using Outlook. It's about three years old.", (LOW, LOW), fix=0),
    T("Hardware/Laptop", "Cracked laptop screen", "I'm afraid I dropped my laptop on the way in and the screen is cracked across the bottom corner. It still works but it's hard to read. Can it be repaired or do I need a new one?", (LOW, MEDIUM), tags=("hardware-order",), fix=('Screen replacement ordered under the accidental damage cover and fitted on arrival.', 'The screen has been replaced – the laptop is as good as new.')),
    T("Hardware/Laptop", "Laptop very slow since update", "Since the update on Friday my laptop is really slow – it takes five minutes to log in and {app} keeps going 'Not responding'.", (LOW, MEDIUM), needs="windows", fix=('Removed a stuck update, trimmed startup apps and ran a disk clean-up; login is back under a minute.', 'Your laptop is back up to speed – an update had got stuck and was slowing everything down.')),
    T("Hardware/Laptop", "New laptop needed for {newname}", "We need a laptop ready for {newname}, who starts on {date}. Same setup as the rest of the team please.", (LOW, LOW), SR, tags=("hardware-order",), fix=2),
    T("Hardware/Laptop", "Keyboard keys not working", "Several keys on my laptop keyboard (E, R and the space bar) only work if I press really hard. Tried cleaning it.", (LOW, MEDIUM), fix=('Keyboard failing; replacement keyboard fitted under warranty.', "I've replaced the keyboard under warranty and all the keys work again.")),
    T("Hardware/Laptop", "MacBook stuck on the Apple logo", "My {device} has been stuck on the Apple logo with a progress bar since it restarted for an update last night.", (LOW, HIGH), needs="mac", fix=('Booted into macOS Recovery and reinstalled macOS over the top; data intact.', 'Your Mac is working again – I reinstalled macOS without touching your files.')),
    T("Hardware/Desktop", "PC in {room} won't boot", "The PC in {room} shows 'No bootable device' when it starts. It was fine yesterday.", (LOW, HIGH), needs="windows", fix=0),
    T("Hardware/Desktop", "Computer making a loud noise", "The desktop under my desk has started making a loud grinding noise, like a fan hitting something.", (LOW, LOW), needs="windows", fix=1),
    T("Hardware/Desktop", "PC keeps restarting on its own", "The PC in {room} restarts by itself every hour or so, no warning. We lose whatever we were doing.", (LOW, MEDIUM), needs="windows", fix=('Faulty PSU. Replaced it and ran a stress test for an hour without a restart.', "The power supply in the PC was failing; it's been replaced and the restarts have stopped.")),
    T("Hardware/Printer", "Printer in {room} keeps jamming", "The printer in {room} jams on almost every job – the paper comes out crumpled at the back. We've taken the tray out and put it back but no joy.", (MEDIUM, MEDIUM), fix=1),
    T("Hardware/Printer", "Can't print to the {printer}", "Nothing I send to the {printer} comes out. It shows as 'Offline' on my PC but the printer itself says Ready.", (LOW, MEDIUM), fix=0),
    T("Hardware/Printer", "Printer printing blank pages", "The printer in {room} is feeding paper through but the pages are blank. New toner went in last week.", (MEDIUM, MEDIUM), fix=('New toner still had its sealing tape on; removed it and ran a cleaning cycle.', 'The new toner still had its protective tape on – now removed, and the printer prints properly.')),
    T("Hardware/Printer", "Scan to email stopped working", "Scanning to email from the {printer} has stopped – it says 'Send error' after a minute. It worked last week.", (MEDIUM, MEDIUM), fix=2),
    T("Hardware/Printer", "Toner order for {room} printer", "Can you order a black toner and a set of colour toners for the printer in {room}? It's showing low.", (LOW, LOW), SR, tags=("hardware-order",), fix=('Toner set delivered; fitted the black and colour cartridges and printed a test page.', 'The toners have arrived and are fitted.')),
    T("Hardware/Printer", "Please add the {room} printer to my laptop", "I've moved desks and need the printer in {room} added to my laptop please.", (LOW, LOW), SR, fix=('Deployed the {room} printer to the laptop through the print policy.', 'The {room} printer is now on your laptop.')),
    T("Hardware/Monitor & peripherals", "Second monitor not detected", "My second screen isn't being picked up since I plugged back into the dock. The light on the monitor is orange.", (LOW, MEDIUM), fix=0),
    T("Hardware/Monitor & peripherals", "Headset microphone not working in Teams", "People can't hear me on Teams calls with my headset. It works on my phone.", (LOW, MEDIUM), sw="Teams", fix=1),
    T("Hardware/Monitor & peripherals", "Request for an ergonomic keyboard and mouse", "Following my workstation assessment, could we order an ergonomic keyboard and vertical mouse for me?", (LOW, LOW), SR, tags=("hardware-order",), fix=('Ergonomic keyboard and vertical mouse delivered; set up at the desk.', 'Your new keyboard and mouse are set up at your desk.')),
    T("Hardware/Monitor & peripherals", "Docking station not charging laptop", "My laptop no longer charges from the docking station in {room}, and the USB ports on it are dead too.", (LOW, MEDIUM), fix=0),
    T("Hardware/Monitor & peripherals", "Webcam shows black image", "My webcam shows a black image in Teams and the Camera app. The little light comes on.", (LOW, MEDIUM), fix=('Camera privacy setting had disabled the webcam; re-enabled it and updated the driver.', 'Your webcam is working again – a privacy setting had switched it off.')),
    T("Hardware/Server", "{server} running very slowly", "Everything that uses {server} has been slow since about 10 o'clock – opening files from {folder} takes ages.", (MEDIUM, HIGH), needs="server", fix=2),
    T("Hardware/Server", "Warning light on {server}", "There's an amber light flashing on the front of {server} in {room}. Is that something to worry about?", (MEDIUM, MEDIUM), needs="server", fix=1),
    T("Hardware/Server", "Extra storage for the {folder} share", "We're getting 'disk almost full' warnings when saving to {folder}. Can we have more space on {server}?", (MEDIUM, LOW), CHANGE, needs="server", fix=0),
    T("Hardware/Network device", "Network switch in {room} beeping", "The network box in {room} has started beeping and some of the lights have gone orange.", (MEDIUM, MEDIUM), fix=0),
    T("Hardware/Network device", "Network point in {room} not working", "The wall socket by the window in {room} doesn't give a network connection – tried two cables.", (LOW, LOW), fix=1),
    T("Hardware/Mobile device", "Work phone not syncing email", "My work phone stopped getting new emails yesterday. Calendar seems stuck too.", (LOW, MEDIUM), sw="Outlook", fix=0),
    T("Hardware/Mobile device", "New mobile phone for {newname}", "{newname} starts on {date} and needs a work mobile with email and Teams set up.", (LOW, LOW), SR, tags=("hardware-order",), fix=('Enrolled the new phone in Intune; Outlook, Teams and Authenticator set up.', 'The new phone is ready, with email and Teams set up.')),
    T("Hardware/Mobile device", "Lost work phone", "I think I left my work phone on the train last night. Can you lock it / wipe it?", (LOW, HIGH), fix=1),
    T("Hardware/Mobile device", "iPad won't charge", "The iPad we use in {room} won't charge any more, tried two cables and plugs.", (LOW, MEDIUM), fix=('Charging port full of lint; cleaned it out and it charges normally.', 'The iPad charges again – the port just needed cleaning.')),
    # --- Software -------------------------------------------------------------------------
    T("Software/Email", "Outlook keeps asking for my password", "Outlook keeps popping up asking for my password. I type it in and it comes back five minutes later.", (LOW, MEDIUM), sw="Outlook", weight=1.5, fix=0),
    T("Software/Email", "Not receiving external emails", "I'm not getting emails from clients since lunchtime – internal ones still come through. A client says their email to me bounced.", (LOW, HIGH), sw="Outlook", fix=2),
    T("Software/Email", "Mailbox full", "I've had a message saying my mailbox is almost full and I can't send. Can you increase it or archive old stuff?", (LOW, MEDIUM), sw="Outlook", fix=1),
    T("Software/Email", "Access to the {mailbox} shared mailbox", "Could I have access to the {mailbox} shared mailbox please? I'm covering while a colleague is off.", (LOW, LOW), SR, sw="Outlook", fix=3),
    T("Software/Email", "Outlook search not finding anything", "Searching in Outlook returns nothing, even for emails I can see in my inbox.", (LOW, MEDIUM), sw="Outlook", fix=('Rebuilt the Outlook search index.', 'Outlook search works again – I rebuilt its index.')),
    T("Software/Email", "Email signature update", "We've changed our address line and logo – can you update everyone's email signature please?", (MEDIUM, LOW), SR, sw="Outlook", fix=('Updated the central signature template; it applies to everyone from their next email.', "Everyone's signature has the new address and logo.")),
    T("Software/Email", "Emails going to junk", "Emails from one of our suppliers keep landing in Junk for everybody. Can you whitelist them?", (MEDIUM, LOW), CHANGE, sw="Outlook", fix=("Checked the supplier's SPF/DKIM and added their domain to the tenant allow list.", 'Emails from that supplier will now arrive in the inbox.')),
    T("Software/Email", "Out-of-office for {colleague}", "{colleague} is off sick unexpectedly. Could you set an out-of-office on their mailbox and forward to me?", (LOW, MEDIUM), SR, sw="Outlook", fix=('Set the automatic reply and forwarding on the mailbox as asked.', 'The out-of-office is on and their emails are forwarded to you.')),
    T("Software/Office apps", "{app} crashes when opening files", "{app} crashes as soon as I open anything from {folder}. Files on my desktop open fine.", (LOW, MEDIUM), sw="{app}", fix=0),
    T("Software/Office apps", "Excel file locked for editing", "Excel says the spreadsheet in {folder} is locked for editing by me, but I don't have it open anywhere.", (LOW, MEDIUM), sw="Excel", fix=('Closed the orphaned open-file handle on the file server and removed the owner file.', 'The spreadsheet is unlocked – you can edit it again.')),
    T("Software/Office apps", "Teams not showing notifications", "I'm not getting any Teams notifications, so I keep missing messages and calls.", (LOW, MEDIUM), sw="Teams", fix=2),
    T("Software/Office apps", "OneDrive not syncing", "OneDrive shows a red cross and says 'sync pending' on a lot of files. I'm worried I'll lose work.", (LOW, MEDIUM), sw="OneDrive", fix=1),
    T("Software/Office apps", "Word document corrupted", "A Word document I was working on all morning now says it is corrupted and can't be opened. Please help!", (LOW, HIGH), sw="Word", fix=('Recovered the document from AutoRecover and the OneDrive version history.', "I've recovered your document from this morning's autosaved copy – it's back in the same folder.")),
    T("Software/Office apps", "Teams meeting room audio echo", "In the Teams meeting in {room} this morning the people on the other end heard an echo the whole time.", (MEDIUM, MEDIUM), sw="Teams", fix=('Updated the meeting room speakerphone firmware and turned on echo cancellation.', "The echo in the meeting room should be gone; I've updated the speakerphone.")),
    T("Software/Office apps", "Need Visio installed", "Could I have Visio installed please? I need it for process diagrams.", (LOW, LOW), SR, fix=('Assigned a Visio Plan 2 licence and deployed the app.', 'Visio is installed on your PC.')),
    T("Software/Line-of-business", "{lob} won't open", "{lob} won't open this morning – it gets to the splash screen and then closes.", (LOW, HIGH), sw="{lob}", weight=2, fix=0),
    T("Software/Line-of-business", "{lob} very slow", "{lob} is really slow for everyone in {room} today. Each screen takes 10–20 seconds to load.", (MEDIUM, MEDIUM), sw="{lob}", weight=2, fix=1),
    T("Software/Line-of-business", "Error when saving in {lob}", "I get an error when I try to save in {lob}: 'An unexpected error occurred (code 0x80004005)'.", (LOW, MEDIUM), sw="{lob}", weight=1.5, fix=0),
    T("Software/Line-of-business", "{lob} update available – please install", "{lob} keeps telling us an update is available. Can you install it on all the PCs?", (MEDIUM, LOW), CHANGE, sw="{lob}", fix=2),
    T("Software/Line-of-business", "Install {lob} for {newname}", "{newname} needs {lob} installed and a login set up before {date}.", (LOW, LOW), SR, sw="{lob}", fix=("Installed {lob} and created the login with the team's standard role.", "{lob} is installed and {newname}'s login is ready.")),
    T("Software/Line-of-business", "Dentrix: 'Unable to connect to database'", "Dentrix shows 'Unable to connect to database' in {room}. We have patients waiting.", (MEDIUM, HIGH), sw="Dentrix", only=("HARB",), weight=2, fix=('The Dentrix database service on the server had stopped after updates; started it and set it to automatic (delayed start).', 'Dentrix connects again – a service on the server had stopped.')),
    T("Software/Line-of-business", "X-ray sensor not detected in {room}", "The intraoral X-ray sensor isn't being picked up by the imaging software in {room}. We tried another USB port.", (LOW, HIGH), sw="Dentrix", only=("HARB",), weight=2, fix=('Reinstalled the sensor driver and the imaging bridge; sensor detected and test image taken.', 'The X-ray sensor is working again in {room}.')),
    T("Software/Line-of-business", "Appointment reminder texts not sending", "Patients say they haven't had their reminder texts since Friday. The log in Dentrix shows them as queued.", (MEDIUM, MEDIUM), sw="Dentrix", only=("HARB",), fix=("SMS gateway credentials had expired; renewed them with the provider and re-sent today's reminders.", "Reminder texts are going out again, and today's have been re-sent.")),
    T("Software/Line-of-business", "Clio not syncing with Outlook calendar", "Court dates I add in Clio aren't appearing in my Outlook calendar any more.", (LOW, MEDIUM), sw="Clio", only=("WLAW",), weight=2, fix=('Re-authorised the Clio calendar sync with Microsoft 365.', 'Your Clio court dates are syncing to Outlook again.')),
    T("Software/Line-of-business", "Can't save emails to matter in Clio", "The Clio add-in in Outlook has disappeared so I can't file emails to matters.", (LOW, MEDIUM), sw="Clio", only=("WLAW",), weight=2, fix=('Re-deployed the Clio for Outlook add-in from the Microsoft 365 admin centre.', 'The Clio add-in is back in Outlook.')),
    T("Software/Line-of-business", "Redaction greyed out in Acrobat", "I need to redact a bundle for court tomorrow but the Redact tool is greyed out in Acrobat.", (LOW, HIGH), sw="Adobe Acrobat", only=("WLAW",), fix=('Acrobat was signed in with a Reader licence; assigned the Pro licence and signed in again.', 'Redaction is available again – your Acrobat Pro licence is active.')),
    T("Software/Line-of-business", "Dictation files not uploading", "My dictation files aren't uploading to the typing pool – they sit on the recorder.", (LOW, MEDIUM), only=("WLAW",), fix=('Dictation client lost its upload folder after the password change; signed it in again.', 'Your dictation files are uploading again.')),
    T("Software/Line-of-business", "SAP B1 slow posting goods receipts", "Posting a goods receipt PO in SAP Business One takes over a minute at the moment.", (MEDIUM, MEDIUM), sw="SAP Business One", only=("PENN", "NGL"), weight=1.5, fix=1),
    T("Software/Line-of-business", "SOLIDWORKS: no licences available", "SOLIDWORKS says 'no licences available' although only two of us are using it.", (LOW, HIGH), sw="SOLIDWORKS", only=("PENN",), weight=1.5, fix=('Two stale licence checkouts on the licence server; released them and restarted the SolidNetWork License service.', 'SOLIDWORKS licences are available again.')),
    T("Software/Line-of-business", "DNC PC can't reach the programs share", "The DNC PC in {room} can't open the CNC programs share, so we can't send programs to the machines.", (MEDIUM, HIGH), only=("PENN",), fix=('DNC PC had dropped off the domain; rejoined it and mapped the programs share again.', 'The DNC PC can reach the programs share again.')),
    T("Software/Line-of-business", "Sage 50 says data is in use by another user", "Sage 50 says the company data is in use by another user, but nobody else has it open.", (LOW, HIGH), sw="Sage 50", only=("ASHC", "CALD"), weight=2, fix=('Cleared the stale Sage lock file after checking nobody was logged in.', 'Sage opens normally again – a leftover lock file was the cause.')),
    T("Software/Line-of-business", "Xero bank feed not updating", "The bank feed for one of our clients in Xero hasn't updated since Tuesday.", (LOW, MEDIUM), sw="Xero", only=("ASHC", "SAFF", "RFB", "OAKV"), fix=('Bank feed connection needed re-authorising with the bank; done with the client on a call.', 'The bank feed is updating again.')),
    T("Software/Line-of-business", "Can't restore a client's QuickBooks backup", "A client sent their QuickBooks backup and it fails to restore with error -6000.", (LOW, MEDIUM), sw="QuickBooks", only=("ASHC", "GCT"), fix=('The backup came from a newer QuickBooks release; updated our install and restored it.', 'The QuickBooks backup has been restored.')),
    T("Software/Line-of-business", "HMRC submission timing out", "Filing returns to HMRC keeps timing out at the submission step.", (MEDIUM, HIGH), only=("ASHC",), fix=('The filing software needed its gateway update; installed it on all PCs.', 'Filing to HMRC works again.')),
    T("Software/Line-of-business", "SIMS won't load the registers", "SIMS is stuck on 'loading' when teachers open the morning register.", (MEDIUM, HIGH), sw="SIMS", only=("STAL",), weight=2, fix=('SIMS server service had hung; restarted it and cleared the client cache.', 'SIMS registers load again.')),
    T("Software/Line-of-business", "Interactive whiteboard in {room} not responding", "The interactive whiteboard in {room} doesn't respond to touch – the pen does nothing either.", (LOW, HIGH), only=("STAL",), weight=2, fix=("Recalibrated the touch screen and reinstalled the board's USB driver.", 'The whiteboard responds to touch again.')),
    T("Software/Line-of-business", "Projector in the hall shows 'No signal'", "The projector in the hall shows 'No signal' when we plug the laptop in for assembly.", (MEDIUM, HIGH), only=("STAL",), fix=('HDMI cable in the floor box was damaged; replaced it.', 'The projector works again – a damaged cable has been replaced.')),
    T("Software/Line-of-business", "Pupil logins locked out in the ICT suite", "About half of Year 6 can't log in in the ICT suite – it says their accounts are locked.", (MEDIUM, HIGH), only=("STAL",), fix=('A lesson script had locked the accounts with an old password; unlocked them all.', 'The pupils can log in again.')),
    T("Software/Line-of-business", "Salesforce donor export not working", "The donor export report in Salesforce fails with 'too many rows'.", (LOW, MEDIUM), sw="Salesforce Nonprofit Cloud", only=("RFB", "GCT"), fix=('Split the report by date range and scheduled it as a CSV export.', 'The donor export works again – it now runs in smaller batches.')),
    T("Software/Line-of-business", "Revit crashes when syncing with central", "Revit crashes every time I synchronise with central on the {folder} model.", (LOW, HIGH), sw="Revit", only=("HMA",), weight=2, fix=('Central model needed compacting; compacted it and cleared the local copies.', 'Revit syncs with central again.')),
    T("Software/Line-of-business", "Plotter prints A1 drawings blank", "AutoCAD plots to the plotter come out blank on A1; A3 prints are fine.", (MEDIUM, MEDIUM), sw="AutoCAD", only=("HMA", "CALD"), fix=('Plot style table went missing after the AutoCAD update; restored it and the plotter driver.', 'A1 plots print properly again.')),
    T("Software/Line-of-business", "Large drawings slow to open from the NAS", "Opening drawings from {folder} on the NAS has become very slow – minutes for a single file.", (MEDIUM, MEDIUM), sw="AutoCAD", only=("HMA",), fix=('The NAS was running a RAID scrub during working hours; moved it to the weekend.', 'Opening drawings is back to normal speed.')),
    T("Software/Line-of-business", "Reapit not loading property photos", "Property photos won't load in Reapit – we just get grey boxes.", (MEDIUM, MEDIUM), sw="Reapit", only=("KING",), weight=2, fix=('Reapit image cache was corrupt; cleared it and allowed the image CDN in the web filter.', 'Property photos load again in Reapit.')),
    T("Software/Line-of-business", "Rightmove feed showing old listings", "Rightmove is still showing two properties we marked as sold in Reapit last week.", (LOW, MEDIUM), sw="Reapit", only=("KING",), fix=('Portal feed was stuck; asked Reapit to resend it (ref {ref}).', 'Rightmove now shows the right listings.')),
    T("Software/Line-of-business", "Handheld scanners not syncing at {site}", "The handheld scanners at {site} aren't syncing – drivers' manifests are out of date.", (MEDIUM, HIGH), sw="Mandata", only=("NGL",), weight=2, fix=('Handheld sync service on the app server had stopped; restarted it and set it to restart on failure.', 'The scanners are syncing again.')),
    T("Software/Line-of-business", "Mandata won't print delivery notes", "Mandata says the delivery notes have printed but nothing comes out in {room}.", (MEDIUM, MEDIUM), sw="Mandata", only=("NGL",), weight=1.5, fix=('Mandata was printing to an old printer queue; pointed it at the right one.', 'Delivery notes print again in {room}.')),
    T("Software/Line-of-business", "Label printer on loading bay {n} offline", "The Zebra label printer on loading bay {n} is offline, we're writing labels by hand.", (MEDIUM, HIGH), only=("NGL",), fix=('The label printer got a new address from DHCP; reserved its address and updated the queue.', 'The label printer is back online.')),
    T("Software/Line-of-business", "RxWorks very slow in the consult rooms", "RxWorks is really slow on the consult room PCs, it takes ages to bring up a patient record.", (MEDIUM, HIGH), sw="RxWorks", only=("OAKV",), weight=2, fix=1),
    T("Software/Line-of-business", "Lab results not importing into RxWorks", "Results from the external lab haven't come into RxWorks since yesterday.", (LOW, MEDIUM), sw="RxWorks", only=("OAKV",), fix=('Lab results interface password had expired; updated it with the lab.', 'Lab results are importing into RxWorks again.')),
    T("Software/Line-of-business", "Till at {site} not printing receipts", "The till at {site} isn't printing receipts – the order goes through but nothing prints.", (LOW, HIGH), sw="Lightspeed Restaurant", only=("SAFF",), weight=2, fix=('Receipt printer lost its network settings; paired it with the till again.', 'The till prints receipts again.')),
    T("Software/Line-of-business", "Kitchen printer not getting orders", "The kitchen printer at {site} stopped getting orders mid-service. We're running tickets by hand.", (MEDIUM, HIGH), sw="Lightspeed Restaurant", only=("SAFF",), weight=2, fix=("Kitchen printer's address changed after a router restart; fixed its reservation.", 'Orders are printing in the kitchen again.')),
    T("Software/Line-of-business", "ResDiary bookings not showing on the iPad", "The ResDiary app on the front-of-house iPad at {site} isn't showing tonight's bookings.", (LOW, HIGH), sw="ResDiary", only=("SAFF",), fix=('Signed the iPad out of ResDiary and back in, and updated the app.', "Tonight's bookings show on the iPad again.")),
    T("Software/Line-of-business", "LIMS not accepting barcode scans", "The LIMS isn't accepting barcode scans at sample reception – we're keying sample numbers by hand.", (MEDIUM, HIGH), sw="LabWare LIMS", only=("MERL",), weight=2, fix=('The barcode scanners had been reset to the wrong keyboard layout; reprogrammed them.', 'The scanners work with the LIMS again.')),
    T("Software/Line-of-business", "Results not transmitting to GP surgeries", "The overnight results transmission to the GP surgeries shows as failed in the LIMS.", (HIGH, HIGH), sw="LabWare LIMS", only=("MERL",), fix=('Interface engine queue stuck on a malformed message; removed it and resent the batch.', "Results are going to the surgeries again, and last night's batch has been resent.")),
    T("Software/Line-of-business", "LabWare session times out too quickly", "LabWare logs us out after a couple of minutes while we're at the bench. Can the timeout be longer?", (MEDIUM, LOW), CHANGE, sw="LabWare LIMS", only=("MERL",), fix=('Set the session timeout to 30 minutes for bench terminals after QA approval.', 'The LIMS now keeps bench sessions open for 30 minutes.')),
    T("Software/Line-of-business", "Creative Cloud says my licence has expired", "Photoshop and InDesign say my licence has expired and won't let me save.", (LOW, HIGH), sw="Adobe Creative Cloud", only=("BWM", "HMA"), weight=2, fix=('Reassigned the Creative Cloud licence in the Adobe admin console; signed in again.', 'Your Creative Cloud apps are licensed again.')),
    T("Software/Line-of-business", "Figma desktop app shows a blank screen", "The Figma app opens to a blank white screen. The browser version works.", (LOW, MEDIUM), sw="Figma", only=("BWM",), fix=("Cleared Figma's cache and reinstalled the desktop app.", 'The Figma app works again.')),
    T("Software/Line-of-business", "HubSpot emails not logging", "Emails I send from Outlook aren't logging against contacts in HubSpot.", (LOW, MEDIUM), sw="HubSpot", only=("BWM",), fix=('Re-enabled the HubSpot Sales add-in for Outlook.', 'Emails log against HubSpot contacts again.')),
    T("Software/Line-of-business", "Procore not syncing drawings on the site iPad", "The Procore app on the site iPad at {site} hasn't synced the latest drawings.", (LOW, HIGH), sw="Procore", only=("CALD",), weight=2, fix=('Signed the iPad out of Procore, cleared its storage and synced over Wi-Fi.', 'The latest drawings are on the site iPad.')),
    T("Software/Line-of-business", "Sage payroll update failed", "The Sage payroll update failed halfway through and now payroll won't open. Payday is Friday.", (MEDIUM, HIGH), sw="Sage 50", only=("CALD",), fix=('Restored the pre-update backup and re-ran the payroll update as administrator.', 'Payroll is updated and working again in time for Friday.')),
    T("Software/Browser", "Chrome keeps opening pop-up adverts", "Chrome keeps opening new tabs with adverts for prize draws.", (LOW, MEDIUM), sw="Chrome", fix=0),
    T("Software/Browser", "Website won't load on my PC", "A supplier's portal won't load in Chrome on my PC, but it works on my phone.", (LOW, MEDIUM), sw="Chrome", fix=1),
    T("Software/Browser", "Saved passwords disappeared in Chrome", "All my saved passwords have disappeared from Chrome.", (LOW, MEDIUM), sw="Chrome", fix=('Signed Chrome back in to the synced profile; passwords restored.', 'Your saved passwords are back in Chrome.')),
    T("Software/Operating system", "Windows update stuck", "My PC has said 'Working on updates 35%' for over an hour.", (LOW, HIGH), sw="Windows 11", needs="windows", fix=0),
    T("Software/Operating system", "Blue screen on startup", "My computer keeps getting a blue screen with 'CRITICAL_PROCESS_DIED' when it starts.", (LOW, HIGH), sw="Windows 11", needs="windows", fix=2),
    T("Software/Operating system", "Laptop says disk is full", "I keep getting 'low disk space' warnings and can't save anything.", (LOW, MEDIUM), sw="Windows 11", needs="windows", fix=1),
    T("Software/Operating system", "macOS update won't install", "My Mac keeps saying the macOS update failed to install.", (LOW, MEDIUM), sw="macOS", needs="mac", fix=('Freed space and installed the macOS update from Software Update.', 'Your Mac is up to date.')),
    T("Software/Operating system", "Mac asking for admin password to install fonts", "I need to install a font pack for a client job and my Mac asks for an admin password.", (LOW, MEDIUM), SR, sw="macOS", needs="mac", fix=('Installed the font pack through the device management tool.', 'The fonts are installed on your Mac.')),
    T("Software/PDF & documents", "Can't edit PDFs", "Acrobat only lets me view PDFs now – the edit tools have gone.", (LOW, MEDIUM), sw="Adobe Acrobat", fix=0),
    T("Software/PDF & documents", "PDFs open in the browser instead of Acrobat", "PDFs keep opening in Chrome instead of Acrobat, which means I can't sign them.", (LOW, LOW), sw="Adobe Acrobat", fix=1),
    T("Software/PDF & documents", "Combined PDF too large to email", "I've combined some scans into a PDF and it's 60 MB – too large to email. How do I shrink it?", (LOW, MEDIUM), sw="Adobe Acrobat", fix=('Showed the user Reduce File Size in Acrobat: 60 MB down to 6 MB.', 'Use File › Reduce File Size in Acrobat – your file went from 60 MB to 6 MB.')),
    # --- Accounts & access ------------------------------------------------------------------
    T("Accounts & access/Password reset", "Password reset", "I've forgotten my password after the weekend and I'm locked out. Please can you reset it?", (LOW, HIGH), SR, sw="Microsoft 365", weight=2, fix=0),
    T("Accounts & access/Password reset", "Locked out of my account", "My account says it's locked after I typed the password wrong a few times.", (LOW, HIGH), SR, sw="Microsoft 365", weight=1.5, fix=1),
    T("Accounts & access/Password reset", "{lob} password expired", "{lob} says my password has expired and the reset link doesn't arrive.", (LOW, HIGH), SR, sw="{lob}", fix=('Reset the {lob} password and corrected the reset email address on the account.', "Your {lob} password has been reset – I've texted you a temporary one.")),
    T("Accounts & access/Password reset", "Password expiry warning", "I keep getting a message that my password expires in 3 days – how do I change it?", (LOW, LOW), SR, sw="Microsoft 365", fix=('Talked the user through changing the password with Ctrl+Alt+Del.', 'You can change it with Ctrl+Alt+Del › Change a password – all done now.')),
    T("Accounts & access/New starter", "New starter: {newname}", "{newname} starts on {date}. They need an email account, {lob} login, and access to {folder}. Same as the rest of the team.", (LOW, MEDIUM), SR, weight=2, fix=0),
    T("Accounts & access/New starter", "New starter – {newname} (temp)", "We have a temp, {newname}, starting {date} for three months. Email and access to {folder} only please.", (LOW, LOW), SR, fix=0),
    T("Accounts & access/Leaver", "Leaver: {colleague}", "{colleague} leaves us on {date}. Please disable their account after 5pm, forward their email to me and keep their files.", (LOW, MEDIUM), SR, weight=2, fix=0),
    T("Accounts & access/Leaver", "Remove access for {colleague}", "{colleague} left unexpectedly today. Please remove their access to everything straight away.", (LOW, HIGH), SR, fix=0),
    T("Accounts & access/Permissions", "Access to the {folder} folder", "Can I have access to the {folder} folder on the shared drive please? My manager has approved it.", (LOW, LOW), SR, weight=2, fix=0),
    T("Accounts & access/Permissions", "Can't open files in {folder}", "I get 'access denied' when opening anything in {folder}. I could open them last week.", (LOW, MEDIUM), fix=1),
    T("Accounts & access/Permissions", "Add {colleague} to the {mailbox} mailbox", "Please add {colleague} to the {mailbox} mailbox so they can cover holidays.", (LOW, LOW), SR, fix=('Granted Full Access and Send As on the shared mailbox.', '{colleague} now has access to the {mailbox} mailbox.')),
    T("Accounts & access/MFA", "New phone – authenticator app", "I've got a new phone and the Authenticator app didn't transfer. Now I can't sign in.", (LOW, HIGH), SR, sw="Microsoft 365", weight=2, fix=0),
    T("Accounts & access/MFA", "Not getting the sign-in code", "I'm not getting the text message code to sign in to Microsoft 365.", (LOW, HIGH), sw="Microsoft 365", fix=('The phone number on the account was out of date; updated it and moved them to the Authenticator app.', "You'll get sign-in prompts in the Authenticator app from now on.")),
    T("Accounts & access/MFA", "Keep getting sign-in approval requests", "My phone keeps asking me to approve a sign-in I didn't make. I've pressed deny.", (LOW, HIGH), sw="Microsoft 365", fix=1),
    # --- Network ------------------------------------------------------------------------------
    T("Network/Wi-Fi", "Wi-Fi keeps dropping in {room}", "The Wi-Fi in {room} drops every few minutes, so Teams calls keep cutting out.", (MEDIUM, MEDIUM), weight=2, fix=0),
    T("Network/Wi-Fi", "Guest Wi-Fi password", "What's the guest Wi-Fi password this month? We have visitors in {room} at 2pm.", (LOW, MEDIUM), SR, fix=("Sent this month's guest Wi-Fi password by text.", "This month's guest password has been texted to you.")),
    T("Network/Wi-Fi", "Can't connect to {wifi}", "My laptop won't connect to {wifi} – it says 'Can't connect to this network'.", (LOW, MEDIUM), fix=1),
    T("Network/Wi-Fi", "Weak Wi-Fi signal at the back of {room}", "There's almost no Wi-Fi at the back of {room}. Could we get another access point?", (MEDIUM, LOW), CHANGE, fix=('Surveyed the area and added an access point; coverage is good now.', "We've added a Wi-Fi access point at the back of {room}.")),
    T("Network/VPN", "VPN won't connect from home", "The VPN gets to 'connecting' and then says 'credential or SSL VPN configuration is wrong'.", (LOW, HIGH), sw="FortiClient VPN", needs="vpn", weight=2, fix=0),
    T("Network/VPN", "VPN very slow", "Working from home, the VPN is so slow that opening files from {folder} takes minutes.", (LOW, MEDIUM), sw="FortiClient VPN", needs="vpn", fix=1),
    T("Network/VPN", "VPN access for {newname}", "Please set up VPN access for {newname} so they can work from home from {date}.", (LOW, LOW), SR, sw="FortiClient VPN", needs="vpn", fix=('Added the user to the VPN group and installed FortiClient.', 'VPN access is set up for {newname}.')),
    T("Network/Internet", "Internet very slow at {site}", "The internet at {site} has been really slow all morning – web pages time out.", (HIGH, MEDIUM), weight=2),
    T("Network/Internet", "Internet down at {site}", "We've got no internet at {site}. The router has a red light.", (HIGH, HIGH)),
    T("Network/Firewall", "Please allow access to a supplier website", "A supplier's ordering site is blocked by the web filter. Can it be allowed?", (LOW, LOW), CHANGE, fix=0),
    T("Network/Firewall", "Open a port for the CCTV app", "The CCTV installer says port 8000 needs opening so we can view the cameras remotely.", (MEDIUM, LOW), CHANGE, fix=1),
    # --- Security -------------------------------------------------------------------------------
    T("Security/Phishing", "Suspicious email – is this genuine?", "I've had an email from {sender} asking me to review a document. It looks odd – is it genuine? I haven't clicked anything.", (LOW, MEDIUM), weight=2, tags=("phishing",), fix=0),
    T("Security/Phishing", "I clicked a link in a dodgy email", "I clicked a link in an email that looked like it was from Microsoft and typed my password in before I realised. Sorry!", (LOW, HIGH), tags=("phishing",), fix=1),
    T("Security/Phishing", "Fake invoice email from a supplier", "We've had an invoice from a supplier asking us to pay into new bank details. It looks like it came from their real address.", (MEDIUM, HIGH), tags=("phishing",), fix=2),
    T("Security/Anti-virus", "Virus warning popped up", "Sophos popped up saying it had blocked a threat in my Downloads folder.", (LOW, HIGH), sw="Sophos Intercept X", fix=0),
    T("Security/Anti-virus", "Anti-virus blocking {lob}", "Sophos is blocking part of {lob} since this morning, we can't use it.", (MEDIUM, HIGH), sw="Sophos Intercept X", fix=1),
    T("Security/Suspicious sign-in", "Unusual sign-in activity email", "I got an 'unusual sign-in activity' email from Microsoft about a sign-in from another country.", (LOW, HIGH), sw="Microsoft 365"),
    T("Security/Suspicious sign-in", "Contacts received spam from my address", "Several clients say they've had a strange email from my address with a link in it.", (MEDIUM, HIGH), sw="Outlook", tags=("phishing",)),
    T("Security/Data loss", "Lost USB stick with client documents", "I think I've lost a USB stick that had some client documents on it. What should I do?", (MEDIUM, HIGH), fix=0),
    T("Security/Data loss", "Email sent to the wrong person", "I sent an email with personal data to the wrong client by mistake. Can it be recalled?", (LOW, HIGH), sw="Outlook", fix=1),
    # --- Backup ---------------------------------------------------------------------------------
    T("Backup/Failed backup", "Backup failure email", "We got an email saying last night's backup failed. Is everything OK?", (MEDIUM, MEDIUM), needs="server"),
    T("Backup/Restore request", "Restore a deleted file from {folder}", "I accidentally deleted a file from {folder} this morning. Can you get it back? It was called something like 'Q3 figures'.", (LOW, MEDIUM), SR, weight=2, fix=0),
    T("Backup/Restore request", "Restore a previous version of a spreadsheet", "Someone saved over our main spreadsheet in {folder}. Can we have yesterday's version back?", (MEDIUM, MEDIUM), SR, sw="Excel", fix=("Restored yesterday's version of the spreadsheet from backup, next to the current one.", "Yesterday's version is back in {folder}, next to the current one.")),
    T("Backup/Restore request", "Recover deleted emails", "I emptied my Deleted Items folder by mistake and need some emails from last month back.", (LOW, MEDIUM), SR, sw="Outlook", fix=1),
    # --- Telephony -------------------------------------------------------------------------------
    T("Telephony/Desk phone", "Desk phone not working", "My desk phone says 'No service' and I can't make or take calls.", (LOW, HIGH), sw="3CX", fix=0),
    T("Telephony/Desk phone", "Move my phone extension to a new desk", "I'm moving to {room} next week – can my extension move with me?", (LOW, LOW), SR, sw="3CX", fix=1),
    T("Telephony/Desk phone", "Callers can't hear me", "People I call say they can't hear me, or I keep cutting out.", (LOW, MEDIUM), sw="3CX", fix=('Handset cord was faulty; swapped the handset.', 'The handset has been replaced – callers can hear you again.')),
    T("Telephony/Call queue", "Change call queue for the holidays", "Over the bank holiday could calls go to the out-of-hours message instead of the main queue?", (MEDIUM, LOW), CHANGE, sw="3CX", fix=1),
    T("Telephony/Call queue", "Calls not reaching reception", "Calls to the main number ring out and never reach reception.", (HIGH, HIGH), sw="3CX", fix=0),
    T("Telephony/Voicemail", "Reset my voicemail PIN", "I've forgotten my voicemail PIN. Could you reset it?", (LOW, LOW), SR, sw="3CX", fix=0),
    T("Telephony/Voicemail", "Voicemails not arriving by email", "Voicemails used to come through to my email – they stopped last week.", (LOW, MEDIUM), sw="3CX", fix=1),
)

@dataclass(frozen=True)
class Alert:
    key: str
    subject: str
    body: str
    impact: int
    urgency: int
    software: str | None
    remedy: str  # what the agent's remediation did, or "" when there is none
    fix: str  # what the technician did when it did not recover on its own


ALERTS = (
    Alert("Hardware/Server", "Disk space low on {server} (C:)",
          "Check 'Disk space C:' failed on {server}: {free} GB free ({percent}%), threshold 10%.", MEDIUM, MEDIUM,
          "Windows Server 2019", "Remediation script 'Clear temporary files' ran on {server}: freed {free} GB.",
          "Cleared old update files and temp folders; 18 GB free now."),
    Alert("Hardware/Server", "Disk space low on {server} (D:)",
          "Check 'Disk space D:' failed on {server}: {free} GB free ({percent}%), threshold 10%.", MEDIUM, MEDIUM,
          "Windows Server 2019", "Remediation script 'Rotate application logs' ran on {server}: freed {free} GB.",
          "Archived old log exports to the NAS and extended the volume by 50 GB."),
    Alert("Hardware/Server", "{server} not responding to ping", "Check 'Ping' failed on {server}: 4 of 4 packets lost.",
          HIGH, HIGH, "Windows Server 2019", "",
          "Host had hung after a driver update; power-cycled it from the out-of-band console and rolled the driver back."),
    Alert("Hardware/Server", "High CPU on {server}",
          "Check 'CPU load' failed on {server}: average {percent}% over 15 minutes (threshold 90%).", MEDIUM, MEDIUM,
          "Windows Server 2019", "", "A stuck backup agent process was using the CPU; restarted it and applied the agent update."),
    Alert("Hardware/Server", "RAID array degraded on {server}",
          "Check 'RAID status' failed on {server}: virtual disk 0 is degraded, physical disk 2 failed.", HIGH, MEDIUM, None,
          "", "Disk 2 failed; hot-swapped it under warranty and the rebuild completed overnight."),
    Alert("Hardware/Server", "Service stopped on {server}: Print Spooler",
          "Check 'Service: Spooler' failed on {server}: service is stopped.", MEDIUM, MEDIUM, "Windows Server 2019",
          "Remediation script 'Restart service' ran on {server}: Spooler started.",
          "Spooler crashed on a bad driver; removed the driver and restarted the service."),
    Alert("Backup/Failed backup", "Backup job failed: {server} nightly",
          "Veeam job '{server} nightly' finished with status Failed: 'Error: Failed to create VM snapshot'.", MEDIUM, MEDIUM,
          "Veeam Backup & Replication", "Automatic retry of the job started.",
          "VSS writer in a failed state; restarted the service and reran the job – success."),
    Alert("Backup/Failed backup", "Backup job warning: {server} nightly",
          "Veeam job '{server} nightly' finished with status Warning: 1 of 3 disks was not processed.", LOW, MEDIUM,
          "Veeam Backup & Replication", "Automatic retry of the job started.",
          "One disk was skipped because of a leftover snapshot; consolidated it and reran the job."),
    Alert("Security/Anti-virus", "Threat detected on {workstation}",
          "Sophos Intercept X detected 'Troj/Agent-BHQK' on {workstation} and quarantined it.", LOW, HIGH,
          "Sophos Intercept X", "Quick scan started on {workstation}.",
          "Threat quarantined before it ran; full scan clean. It came from a downloaded zip – reminded the user."),
    Alert("Security/Anti-virus", "Anti-virus out of date on {workstation}",
          "Check 'AV definitions' failed on {workstation}: definitions are 6 days old.", LOW, LOW, "Sophos Intercept X",
          "Definitions update forced on {workstation}.",
          "Laptop had been off the network for a week; forced a definitions update and checked it reports in."),
    Alert("Software/Operating system", "Patches failing on {workstation}",
          "Check 'Windows Update' failed on {workstation}: 3 updates failed to install (0x800f0922).", LOW, LOW, "Windows 11",
          "Remediation script 'Reset Windows Update components' ran on {workstation}.",
          "Cleared the update cache and installed the failed updates by hand; rebooted out of hours."),
    Alert("Network/Internet", "WAN link down at {site}", "Check 'WAN ping' failed for {site}: gateway unreachable for 5 minutes.",
          HIGH, HIGH, None, "Failover to the 4G backup link is active at {site}.",
          "ISP fault at the exchange; the 4G failover held. Line restored by the ISP."),
)
