-- A PNG version of the town's logo for e-mails: Gmail and Outlook do not show SVG images.
ALTER TABLE tenants ADD COLUMN logo_png TEXT;
