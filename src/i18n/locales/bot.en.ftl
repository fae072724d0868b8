# English texts of the Telegram bot (src/bot/). Loaded after en.ftl.
# Every key here must also be in bot.ru.ftl with the same variables (test/bot/locales.test.ts).
# Texts are plain: the bot escapes them where it sends HTML.

## Start, help and the command menu

start-greeting = Hi, { $name }!
help-text =
    I turn music links into audio files and show what you listen to on Spotify.

    /search – find a song by its name (here you can also just send the name)
    /now – what is playing on your Spotify, with a download button
    /recent – your recently played tracks
    /lyrics – the lyrics of what you are playing, or of an audio you reply to
    /login – connect your own Spotify account (or see its status)
    /unlink – disconnect Spotify and delete the bot's tokens
    /help – this text

    Connecting Spotify lets the bot read only what you are playing and have played; it cannot control playback or change anything in your account. In any chat, type @{ $botUsername } and a space to share what you listen to.
    Send me a link from Spotify, YouTube, YouTube Music, SoundCloud, Apple Music, Deezer, Tidal or Yandex Music to get the track as audio.
command-start = Start the bot
command-help = What the bot can do
command-login = Connect your Spotify account
command-unlink = Disconnect Spotify
command-now = What is playing now
command-recent = Recently played tracks
fallback-hint = Send me a music link, or see /help for what I can do.
fallback-unknown-command = I don't know this command. See /help.

## Errors, access and buttons

error-generic = Something went wrong on my side. Please try again.
access-denied = Sorry, this is a private bot. If you know its operator, ask them to add your Telegram id { $userId }.
button-stale = This button is out of date. Please send the command again.
button-not-yours = These buttons belong to someone else's message.
button-download = ⬇️ Download
button-open-spotify = Open in Spotify
download-unavailable = Downloads are not available on this bot.
download-started = Getting the track…

## Login (/login and /start <completion id>)

login-disabled = Spotify is not set up on this bot, so there is nothing to connect. The operator has to configure it first.
login-private-only = For your privacy, Spotify is connected in a private chat with me.
login-open-private-button = Open private chat
login-status-unlinked = Spotify is not connected.
login-status-unfinished = Your last login was not finished. Here is a new one.
login-status-revoked = Spotify ended the bot's access to your account. Connect again to use /now and /recent.
login-status-revoked-expired = Your Spotify connection expired: Spotify allows six months per login. Connect again to use /now and /recent.
login-status-linked = Connected as { $name } since { $date }.
login-status-valid-until = The connection lasts until { $date }; I will remind you before it ends.
login-status-relink-waiting = A new login is waiting to be finished.
login-connect-hint = Tap the button, sign in with Spotify and allow access. The button works for 10 minutes and only for you: don't forward it.
login-reconnect-hint = Tap the button to sign in with Spotify again (you can pick another account). The button works for 10 minutes.
login-connect-button = Connect Spotify
login-reconnect-button = Reconnect
login-unlink-button = Unlink
login-linked = ✅ Connected: { $name }
login-foreign = This login link belongs to another Telegram account, so nothing was connected. Its owner has been told. To connect your own Spotify, send /login.
login-expired = This login link has expired. Send /login to get a new one.
login-unknown = This login link is not valid or was already used. Send /login to get a new one.
login-rate-limited = You started many logins in the last few minutes. Try /login again in { $minutes } min. The last login button I sent still works for 10 minutes after it was sent.

## Unlink

unlink-private-only = Spotify is disconnected in a private chat with me.
unlink-confirm = Disconnect your Spotify account? The bot deletes its tokens, and /now and /recent stop working until you connect again.
unlink-yes-button = Yes, disconnect
unlink-no-button = Cancel
unlink-done = Spotify is disconnected and the bot's tokens are deleted. Spotify has no way for the bot to withdraw its access itself: to remove it, open https://www.spotify.com/account/apps/ and remove this app.
unlink-nothing = Spotify is not connected, so there is nothing to disconnect.
unlink-cancelled = OK, Spotify stays connected.

## Spotify problems (keyed by the error)

spotify-disabled = Spotify is not set up on this bot.
spotify-not-linked = Connect your Spotify account first.
spotify-link-revoked = Spotify ended the bot's access to your account. Connect again.
spotify-link-expired = Your Spotify connection expired after six months. Connect again.
spotify-relink = Spotify no longer accepts this connection. Connect again.
spotify-relink-in-progress = You started a new Spotify login: finish it (or send /login again), then try once more.
spotify-not-registered = Spotify refused: your Spotify account is not on this bot's list of users. Spotify apps in development mode work only for at most 5 users, each added by e-mail. Ask the bot's operator to add the e-mail of your Spotify account under User Management in the Spotify developer dashboard, then try again.
spotify-retry-later = Spotify is busy right now. Try again in { $seconds } s.
spotify-too-often = You asked Spotify for your music many times this minute. Try again in { $seconds } s.
spotify-quota = The bot has used up its Spotify quota for now. Try again later.
spotify-broken = Spotify sent an answer I could not read. Try again later.
spotify-unavailable = Spotify is not available right now. The bot's operator has been told; try again later. Music links still work.

## Now playing

now-nothing = Nothing is playing on your Spotify right now.
now-last-played = Last played: { $track } ({ $ago })
now-ad = An ad is playing on your Spotify.
now-unknown = Spotify is playing something I can't show.
now-paused = paused
now-album = Album: { $album }
now-show = Podcast: { $show }
ago-just-now = just now
ago-minutes = { $n ->
    [one] { $n } minute ago
   *[other] { $n } minutes ago
}
ago-hours = { $n ->
    [one] { $n } hour ago
   *[other] { $n } hours ago
}
ago-days = { $n ->
    [one] { $n } day ago
   *[other] { $n } days ago
}

## Recently played

recent-title = Recently played, page { $page } of { $pages }
recent-empty = Spotify has no recently played tracks for you yet.
recent-newer = ◀️ Newer
recent-older = Older ▶️

## Inline mode

inline-connect-button = Connect Spotify
inline-now-title = ▶️ Now playing: { $title }
inline-share = 🎵 { $track }
inline-search-getting = ⏳ Getting the audio: { $track }
inline-search-needs-start = Open a chat with me and press Start first: I upload the audio there before it can appear here.

## Notifications from the link lifecycle

notice-login-denied = You cancelled the Spotify login. Send /login whenever you want to try again.
notice-login-failed-unavailable = Spotify had trouble finishing your login. Please send /login again in a few minutes.
notice-login-failed-rejected = Spotify rejected the login. Please connect again.
notice-foreign-completion = ⚠️ Someone with a different Telegram account opened the link that finishes your Spotify login. Nothing was connected. Never forward login links; send /login to start again.
notice-revoked-invalid-grant = Spotify ended the bot's access to your account, so /now and /recent stop working. Connect again to continue.
notice-revoked-expired = Your Spotify connection expired: Spotify allows six months per login. Connect again to continue.
notice-relink-soon = Your Spotify connection ends on { $date } (Spotify allows six months per login). Connect again before then to keep /now and /recent working.
notice-slow-down = You are sending messages faster than I can answer, so I skip some of them. Wait a moment and send again what I did not answer.

## Lyrics (/lyrics, from LRCLIB)

command-lyrics = Lyrics of what is playing, or of an audio
command-search = Find a song by its name
lyrics-disabled = Lyrics are turned off on this bot.
lyrics-how-no-spotify = Send /lyrics as a reply to an audio message to get its lyrics.
lyrics-nothing-playing = No track is playing on your Spotify. Play one, or send /lyrics as a reply to an audio message.
lyrics-audio-untitled = This audio has no title, so I can't look up its lyrics.
lyrics-heading = 🎤 { $song }
lyrics-heading-page = 🎤 { $song } ({ $page }/{ $pages })
lyrics-instrumental = { $song } is an instrumental: it has no lyrics.
lyrics-missing = I found no lyrics for { $song }.
lyrics-unavailable = The lyrics service is not answering right now. Try again later.
