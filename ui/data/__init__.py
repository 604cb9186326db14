"""The Data page's forms, one module each, so pages/data.py holds only its layout.

- `notices`: coloured headlines over plain-text detail, the message kept for the next
  rerun, and the inline yes/cancel under a destructive button;
- `upload`: the uploader and the card of each staged file (state: `staged`, `uploader_n`);
- `inspection`: how a staged file was read, its table, its header mapping, its date order;
- `importing`: the Import button, its progress and the report it leaves on the card;
- `history`: the import history, and undoing an import;
- `cancelled`: the stored lines an export marked cancelled, listed as such;
- `rollups`: what is served instead of a history when the app serves precomputed rollups;
- `guide`: the guided first import: the five kinds, what each unlocks, the ERP exports
  that fill them, what is in and what is still missing;
- `demo_plant`: where the demo plant lives (its own store) and the way to it.

Text that came from a user's file (names, headers, values, messages quoting them) is only
ever shown through st.text or st.dataframe, never as markdown. Every write goes through
`ui.writes`, which checks the role again on the server.
"""
