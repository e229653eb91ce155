"""What people write on a ticket's timeline: requests, replies, internal notes and calls."""

GREETINGS = ("Hi,", "Hello,", "Hi team,", "Morning,", "Hi there,", "Good afternoon,", "Hello IT,")
SIGNOFFS = ("Thanks,", "Many thanks,", "Thank you,", "Cheers,", "Kind regards,", "Thanks in advance,", "Best,")

PHONE_INTRO = (
    "{name} rang the desk.",
    "Call from {name}.",
    "{name} phoned in (logged by {tech}).",
)
WALK_IN_INTRO = ("{name} stopped {tech} while on site.", "Raised in person by {name} during {tech}'s site visit.")

ACK = (
    "Hi {first},\n\nThanks for getting in touch – I've picked this up and will take a look shortly.\n\n{tech}",
    "Hi {first},\n\nThanks, I'm looking into this now. I'll be in touch as soon as I know more.\n\n{tech}",
    "Hello {first},\n\nThanks for reporting this. I'm on it and will update you within the hour.\n\n{tech}",
    "Hi {first},\n\nGot this – I'm connecting remotely to have a look now. No need to restart anything in the meantime.\n\n{tech}",
)

# Questions a technician asks before going on, each with the answers people give.
ASK_INCIDENT = (
    ("Hi {first},\n\nCould you send me a screenshot of the exact error message? It'll help me pin down what's happening."
     "\n\nThanks,\n{tech}",
     ("Screenshot attached – it's the same message every time.", "Here you go, screenshot attached.")),
    ("Hi {first},\n\nWhen would be a good time for a quick remote session? I'll need about 15 minutes on your PC.\n\n{tech}",
     ("I'm free after 2pm today if that works?", "I'm in meetings until lunchtime but any time after that is fine.",
      "Tomorrow morning is best for me.")),
    ("Hi {first},\n\nDoes this happen for anyone else in {room}, or just you? And roughly when did it start?\n\nThanks,\n{tech}",
     ("It's just me as far as I know. It started on Monday.", "Two others in {room} have the same problem now.")),
)
ASK_REQUEST = (
    ("Hi {first},\n\nBefore I go ahead, could you confirm this has been approved by your manager?\n\nThanks,\n{tech}",
     ("Yes, it's approved – {colleague} is happy for this to go ahead.", "Approved – {colleague} has just confirmed.")),
    ("Hi {first},\n\nHappy to set this up. Is there anything that should be different from the usual set-up?\n\n{tech}",
     ("No, same as everyone else in the team please.", "Just the usual, thanks.")),
    ("Hi {first},\n\nWhen would suit you for me to do this? I'll need about 15 minutes on your PC.\n\n{tech}",
     ("Any time tomorrow morning.", "After 3pm today works for me.")),
)

THANKS = (
    "That's working now, thank you!",
    "Brilliant, all sorted. Thanks for the quick help.",
    "Yes, that's fixed it. Much appreciated.",
    "Perfect, thanks {tech}.",
    "All good now – thanks very much.",
)

STILL_BROKEN = (
    "Sorry, it's happening again this morning.",
    "This was fine for a day but the same thing is back.",
    "Afraid it's not fixed – same error after a restart.",
)

REOPEN_REPLY = (
    "Hi {first},\n\nSorry it's come back. I've had another look and found the underlying cause – it should stay fixed this time. Let me know if not.\n\n{tech}",
    "Hi {first},\n\nThanks for letting me know. I've applied a permanent fix rather than the workaround; please give it a try.\n\n{tech}",
)

IN_PROGRESS_NOTE = (
    "Connected via the agent. Reproduced the problem; checking the event logs.",
    "Remote session with {first}. Gathering logs before changing anything.",
    "Looked at this with {first} on a remote session – still investigating.",
)

VENDOR_NOTE = "Raised with {vendor} support, case {ref}. Waiting for them to come back."
VENDOR_BACK_NOTE = (
    "{vendor} came back on case {ref}: known issue, fix applied on their side.",
    "{vendor} support ({ref}) sent a hotfix; installing it now.",
    "{vendor} confirmed on {ref} that a configuration change on their platform resolved it.",
)
SUPPLIER_NOTE = "Ordered from the distributor, ref {ref}. Expected delivery in 3–5 working days."
SUPPLIER_BACK_NOTE = ("Delivered today; set up and imaged.", "Parts arrived; fitted and tested.")

RESOLVED_TAIL = (
    "\n\nI'll mark this as resolved – just reply if anything's not right.",
    "\n\nI'm resolving the ticket now; reply to this email if it comes back.",
    "\n\nI'll close this off, but do shout if you need anything else.",
)

CALL_OUT = (
    "Called {first} and walked through the fix together.",
    "Phoned {first} to confirm everything is working – all good.",
    "Rang {first}: {fix}",
    "Called {first} back. Took remote control and checked it together.",
)
CALL_IN = (
    "{first} rang to chase an update; explained where we are.",
    "{first} called to say it's still happening; gathered more details.",
    "Inbound call from {first} with more detail about the problem.",
)

ALERT_CLEARED = (
    "Check is passing again on {device}; resolving automatically.",
    "Check recovered on {device} after {minutes} minutes.",
)
ALERT_REVIEW = (
    "Reviewed: the automatic fix worked and the check has stayed green. Nothing else needed.",
    "Looked at the history – a one-off, no pattern. Keeping an eye on it.",
    "Reviewed; the remediation worked. Added a note to the monthly health check.",
)

# Per subcategory: (internal note on what was done, public explanation).
FIXES = {
    "Hardware/Laptop": (
        ("Ran the Dell/HP diagnostics; the battery reports 58% health. Ordered a replacement.",
         "The battery has worn out, so I've ordered a replacement – I'll fit it when it arrives."),
        ("Drained the flea power and reseated the RAM; it boots again. BIOS updated.",
         "The laptop is starting normally again after a hardware reset and a firmware update."),
        ("Prepared a new laptop from the standard image; Intune enrolment and apps done.",
         "The new laptop is set up and ready to collect. Your files are on OneDrive as usual."),
    ),
    "Hardware/Desktop": (
        ("SSD failing SMART checks. Replaced it and restored the standard image.",
         "The drive in the PC had failed, so I've replaced it and reinstalled everything."),
        ("Cleaned dust from the CPU fan and heatsink; temperatures back to normal.",
         "The PC was overheating – I've cleaned the fans and it's running quietly again."),
    ),
    "Hardware/Printer": (
        ("Cleared the stuck jobs and restarted the spooler. Reinstalled the universal print driver.",
         "I've cleared the stuck print jobs and reinstalled the printer driver. Please try printing again."),
        ("Worn pickup rollers. Ordered a maintenance kit from the supplier and fitted it.",
         "The paper rollers were worn, which caused the jams. They've been replaced."),
        ("SMTP relay password on the scanner had expired; updated it to the new app password.",
         "Scan to email is working again – the scanner's email password needed updating."),
    ),
    "Hardware/Monitor & peripherals": (
        ("Updated the dock firmware and DisplayLink driver; both screens detected.",
         "I've updated the docking station software and both screens now show up."),
        ("Set the headset as the default device in Teams and Windows sound settings.",
         "Your headset is now set as the default microphone and speaker in Teams."),
    ),
    "Hardware/Server": (
        ("Cleared old log files and shadow copies; extended the volume by 100 GB on the host.",
         "There's now plenty of free space on the server."),
        ("Failed disk in the RAID array. Hot-swapped it under warranty; rebuild complete.",
         "A disk in the server had failed; it has been replaced and the server is healthy again."),
        ("A runaway backup agent process was using all the CPU. Restarted it and patched.",
         "The server was overloaded by a stuck process; it's responding normally now."),
    ),
    "Hardware/Network device": (
        ("Switch PSU fan failing. Replaced the switch with a spare and moved the patching over.",
         "The network switch was failing – it has been replaced and everything is connected again."),
        ("Patch lead at the cabinet end was unplugged. Re-patched and tested the port.",
         "The network point is working now; a cable at the cabinet had come loose."),
    ),
    "Hardware/Mobile device": (
        ("Removed and re-added the work account in Outlook mobile; sync resumed.",
         "Your phone is syncing again – I re-added your work account."),
        ("Issued a remote wipe via Intune and blocked the device; ordered a replacement.",
         "The lost phone has been wiped remotely and a replacement is on order."),
    ),
    "Software/Email": (
        ("Cleared cached credentials and the Outlook profile; modern auth working again.",
         "I've reset your Outlook profile and the password prompts should have stopped."),
        ("Enabled the online archive with a 2-year retention policy; mailbox at 40%.",
         "I've turned on the archive for your mailbox, so older emails move there automatically."),
        ("Mail flow rule was misrouting external mail. Corrected it in Exchange Online.",
         "External emails are arriving again – a mail rule was sending them to the wrong place."),
        ("Granted Full Access and Send As on the shared mailbox; it will appear in Outlook within an hour.",
         "You now have access to the shared mailbox; it will appear in Outlook within an hour."),
    ),
    "Software/Office apps": (
        ("Ran an Office online repair and removed a faulty COM add-in.",
         "I've repaired Office and removed an add-in that was causing the crashes."),
        ("Reset the OneDrive client and re-synced the library; no conflicts left.",
         "OneDrive is syncing properly again and all your files are safe."),
        ("Cleared the Teams cache and reset notification settings.",
         "I've reset Teams – notifications are coming through again."),
    ),
    "Software/Line-of-business": (
        ("Repaired the {lob} client install and re-registered its database connection.",
         "I've repaired the {lob} installation and it opens normally now."),
        ("Rebuilt the indexes on the {lob} database out of hours; queries back to normal speed.",
         "I've done some maintenance on the {lob} database overnight – it should be much quicker now."),
        ("Applied the latest {lob} update to all workstations after testing on one PC.",
         "{lob} is now on the latest version on every PC."),
        ("Added {lob} to the AV exclusions agreed with the vendor.",
         "{lob} is no longer being blocked – I've added the exclusions the vendor recommends."),
    ),
    "Software/Browser": (
        ("Removed a malicious extension and reset Chrome settings; ran a full scan – clean.",
         "A bad browser extension was opening the adverts. It's removed and your PC is clean."),
        ("Site needs TLS 1.2 and a proxy exception; added via policy.",
         "The website loads now – it needed an exception in our web filter."),
    ),
    "Software/Operating system": (
        ("Cleared the SoftwareDistribution folder and reran Windows Update; all updates installed.",
         "The updates have now installed correctly."),
        ("Freed 38 GB (temp files, old update files); enabled Storage Sense.",
         "I've cleared out 38 GB of temporary files, so you have plenty of space again."),
        ("Ran SFC and DISM; repaired corrupt system files and updated the storage driver.",
         "Windows had some corrupted files which I've repaired. The blue screens should be gone."),
    ),
    "Software/PDF & documents": (
        ("Acrobat had dropped to Reader mode; re-signed in with the named licence.",
         "Your Acrobat licence is active again, so all the edit tools are back."),
        ("Set Acrobat as the default PDF handler by policy.",
         "PDFs now open in Acrobat by default."),
    ),
    "Accounts & access/Password reset": (
        ("Verified identity by call-back to the number on file. Reset the password; must change at next sign-in.",
         "Your password has been reset – I've texted you a temporary one. You'll be asked to choose a new one when you sign in."),
        ("Account was locked by an old phone still trying the previous password. Unlocked and removed the stale device.",
         "Your account is unlocked. An old device was still using your previous password, which kept locking it."),
    ),
    "Accounts & access/New starter": (
        ("Created the account from the starter template, added groups, licence and {lob} login. Sent welcome pack to the manager.",
         "Everything is ready for the new starter: account, email, {lob} and shared folders. The welcome letter with sign-in details is with their manager."),
    ),
    "Accounts & access/Leaver": (
        ("Disabled the account, converted the mailbox to shared with delegate access, moved OneDrive files to the manager.",
         "The account has been disabled, their emails now go to you and their files have been kept."),
    ),
    "Accounts & access/Permissions": (
        ("Added the user to the {folder} security group after manager approval.",
         "You now have access to {folder}. Please sign out and back in for it to take effect."),
        ("Inheritance had been broken on the folder; restored the permissions from the parent.",
         "The folder permissions have been fixed – you can open the files again."),
    ),
    "Accounts & access/MFA": (
        ("Verified identity by call-back, cleared the old MFA methods and re-registered the Authenticator app.",
         "Your new phone is set up with the Authenticator app and you can sign in again."),
        ("Password reset, sessions revoked and MFA re-registered after the unexpected prompts.",
         "As a precaution I've reset your password and signed you out everywhere; the unexpected prompts have stopped."),
    ),
    "Network/Wi-Fi": (
        ("Access point in the area was on an overlapping channel. Updated firmware and fixed channel plan.",
         "I've adjusted the Wi-Fi settings in that area and it's holding a steady connection now."),
        ("Forgot the network and reinstalled the Wi-Fi certificate via policy.",
         "Your laptop is connected to the Wi-Fi again."),
    ),
    "Network/VPN": (
        ("FortiClient profile was stale after the firewall certificate renewal; pushed the new profile.",
         "The VPN connects again – your laptop needed the updated connection settings."),
        ("Enabled split tunnelling for Microsoft 365 traffic; VPN throughput much better.",
         "I've changed the VPN so Microsoft 365 traffic no longer goes through it, which makes it much faster."),
    ),
    "Network/Internet": (
        ("ISP confirmed a line fault at the exchange; failover to 4G held. Fixed by the ISP.",
         "The internet provider has fixed a fault on their side and the connection is back to full speed."),
        ("Router firmware had hung; rebooted it and scheduled a firmware update.",
         "The router had stopped responding; it's been restarted and updated."),
    ),
    "Network/Firewall": (
        ("Added the site to the web filter allow list after checking its reputation.",
         "The website is now allowed through the filter."),
        ("Created a restricted port forward (source IP locked to the installer's range) after approval.",
         "The change has been made, restricted to the installer's addresses for safety."),
    ),
    "Security/Phishing": (
        ("Confirmed phishing. Purged the message from all mailboxes, blocked the sender domain, no clicks in the logs.",
         "Thanks for checking with us – it was a phishing email. I've removed it from everyone's inbox and blocked the sender."),
        ("User entered credentials. Reset password, revoked sessions, checked inbox rules (one malicious forward rule removed).",
         "Your password has been reset and I've checked your mailbox – everything is secure now. Thanks for telling us so quickly."),
        ("Supplier's mailbox was compromised. Called the supplier on a known number; payment NOT made. Warned accounts.",
         "The invoice was fraudulent – the supplier's email was hacked. Please don't pay it; I've let your accounts team know."),
    ),
    "Security/Anti-virus": (
        ("Threat was quarantined before execution. Full scan clean; source was a downloaded zip.",
         "The anti-virus caught the file before it did anything and your PC is clean."),
        ("Added the vendor-recommended exclusions for {lob} in Sophos Central.",
         "The anti-virus no longer interferes with {lob}."),
    ),
    "Security/Suspicious sign-in": (
        ("Sign-in from an unfamiliar location with correct password. Reset password, revoked sessions, enforced MFA.",
         "Someone had your password, so I've reset it and signed out every session. Your account is protected by MFA now."),
    ),
    "Security/Data loss": (
        ("Logged in the client's data-breach register; advised the DPO. Device was encrypted.",
         "I've recorded this in the incident log for your data protection lead. Because the device was encrypted the risk is low."),
        ("Message recall partially worked; recipient asked to delete. Logged as a data incident.",
         "The recall worked for most recipients and the one remaining has been asked to delete it."),
    ),
    "Backup/Failed backup": (
        ("VSS writer in a failed state; restarted the service and reran the job – success.",
         "Last night's backup has now completed successfully."),
    ),
    "Backup/Restore request": (
        ("Restored the file from last night's backup into the original folder with '(restored)' suffix.",
         "I've restored the file – it's back in the same folder with '(restored)' at the end of the name."),
        ("Recovered the items from the recoverable items folder in Exchange Online.",
         "Your emails have been recovered and are back in your Deleted Items folder."),
    ),
    "Telephony/Desk phone": (
        ("Phone had lost its provisioning; factory reset and re-provisioned from 3CX.",
         "Your desk phone is working again."),
        ("Moved the extension to the new handset and updated the hunt group.",
         "Your extension has been moved and calls will ring at the new desk."),
    ),
    "Telephony/Call queue": (
        ("Inbound rule pointed at a deleted queue after last week's change. Corrected it and test-called.",
         "Calls are reaching reception again – a routing setting had gone wrong."),
        ("Scheduled the holiday routing in 3CX for the requested dates.",
         "The holiday call routing is set up for the dates you asked."),
    ),
    "Telephony/Voicemail": (
        ("Reset the voicemail PIN and sent it to the user by text.",
         "I've reset your voicemail PIN and texted you the new one."),
        ("Voicemail-to-email had the old address; updated it.",
         "Voicemails will arrive by email again."),
    ),
}

# Outages affecting a whole client at once: the problem ticket, and what people write in.
BURSTS = {
    "internet": dict(
        key="Network/Internet",
        tag="outage",
        problem="Internet outage at {site}",
        subjects=("Internet down", "No internet in {room}", "Can't get onto anything online", "Is the internet down?",
                  "Emails not coming through", "Teams call dropped and won't reconnect", "{lob} not loading"),
        bodies=("Nothing is loading on my PC – websites, email, nothing.", "Is there a problem with the internet? Nobody in {room} can get online.",
                "Lost connection in the middle of a call and can't get back on."),
        note="Leased line down at {site} and the 4G failover didn't take over. Fault logged with the ISP (ref {ref}).",
        fix="The internet provider has fixed a fault at the exchange and {site} is back online. Thanks for your patience.",
    ),
    "phishing": dict(
        key="Security/Phishing",
        tag="phishing",
        problem="Phishing campaign targeting {client} staff",
        subjects=("Suspicious email from {sender}", "Is this email genuine?", "Weird DocuSign email", "Spam email about an invoice",
                  "I think I clicked a link in a dodgy email", "Got this email – safe to open?"),
        bodies=("Got an email asking me to review a shared document – looks suspicious, I haven't clicked.",
                "Several of us have had the same email this morning. Is it safe?", "It says my password expires today and to click to keep it."),
        note="Same lure from {sender} to most of the company. Purging it from all mailboxes, blocking the sender domain, checking sign-in logs.",
        fix="This was a phishing campaign. We've removed the email from every mailbox and blocked the sender. Thank you for reporting it.",
    ),
    "email": dict(
        key="Software/Email",
        tag="outage",
        problem="Email delivery problems for {domain}",
        subjects=("Outlook not receiving emails", "Emails stuck in outbox", "Bounce-back when emailing clients", "No emails since 9am"),
        bodies=("Nothing has come into my inbox since first thing.", "My emails are sitting in the outbox and won't send.",
                "Clients say their emails to us bounce."),
        note="The registrar's migration changed the MX records. Restoring the correct records; mail will queue until they propagate.",
        fix="Email is flowing again – a problem with the domain settings at the registrar has been corrected. Delayed emails are arriving now.",
    ),
    "fileserver": dict(
        key="Hardware/Server",
        tag="outage",
        problem="File server {server} unavailable",
        subjects=("Can't open the S: drive", "Shared drive missing", "Can't save to the shared drive", "{lob} says data path not found"),
        bodies=("The shared drive has a red cross on it and I can't open anything.", "Can't get to any of the files in {folder}.",
                "Getting 'network path not found' when I try to save."),
        note="{server} hung after a failed update overnight. Restarting it from the hypervisor, then checking the disks.",
        fix="The file server is back – it got stuck during an overnight update. All files are intact.",
    ),
    "phones": dict(
        key="Telephony/Call queue",
        tag="outage",
        problem="Phone system outage",
        subjects=("Phones not ringing", "Can't make outbound calls", "Desk phone says 'No service'", "Customers can't get through"),
        bodies=("None of the phones in {room} are ringing.", "I get a busy tone whenever I dial out.",
                "A customer rang my mobile saying the main line just rings out."),
        note="SIP trunk registration failed after the provider's maintenance. Chasing the provider and re-registering the trunk.",
        fix="The phones are working again – the line provider's maintenance had disconnected the system.",
    ),
    "printing": dict(
        key="Hardware/Printer",
        tag="outage",
        problem="Printing failures after Windows update",
        subjects=("Can't print since this morning", "Printer says offline on my PC", "Print jobs disappearing", "Nothing printing"),
        bodies=("Nothing I send prints – it just disappears from the queue.", "The printer shows offline on my PC but fine for others.",
                "We can't print labels or letters at all this morning."),
        note="Last night's cumulative update broke the print driver. Rolling it back through the RMM and pausing the update ring.",
        fix="Printing is working again – last night's Windows update was the cause and we've rolled it back.",
    ),
}

PHISHING_SENDERS = (
    "DocuSign <no-reply@docusign-review.example>",
    "Microsoft 365 <admin@m365-security-alert.example>",
    "HMRC <refunds@hmrc-gov-tax.example>",
    "Royal Mail <delivery@royalmail-parcels.example>",
    "Accounts <invoices@supplier-billing.example>",
)
