# Русские тексты Telegram-бота (src/bot/). Загружаются после ru.ftl.
# Каждый ключ должен быть и в bot.en.ftl с теми же переменными (test/bot/locales.test.ts).
# Тексты простые: бот сам экранирует их, когда отправляет HTML.

## Старт, помощь и меню команд

start-greeting = Привет, { $name }!
help-text =
    Я превращаю музыкальные ссылки в аудиофайлы и показываю, что вы слушаете в Spotify.

    /search – найти песню по названию (здесь можно просто прислать название)
    /now – что сейчас играет в вашем Spotify, с кнопкой скачивания
    /recent – недавно прослушанные треки
    /lyrics – текст песни: того, что играет, или аудио, на которое вы ответили
    /login – подключить свой аккаунт Spotify (или посмотреть его статус)
    /unlink – отключить Spotify и удалить токены бота
    /help – этот текст

    После подключения бот может только читать, что вы слушаете и слушали; управлять воспроизведением и менять что-либо в аккаунте он не может. В любом чате наберите @{ $botUsername } и пробел, чтобы поделиться тем, что слушаете.
    Пришлите ссылку из Spotify, YouTube, YouTube Music, SoundCloud, Apple Music, Deezer, Tidal или Яндекс Музыки – и получите трек аудиофайлом.
command-start = Запустить бота
command-help = Что умеет бот
command-login = Подключить свой Spotify
command-unlink = Отключить Spotify
command-now = Что играет сейчас
command-recent = Недавно прослушанные треки
fallback-hint = Пришлите мне ссылку на музыку или загляните в /help.
fallback-unknown-command = Такой команды я не знаю. Загляните в /help.

## Ошибки, доступ и кнопки

error-generic = У меня что-то пошло не так. Попробуйте ещё раз.
access-denied = Извините, это частный бот. Если вы знаете его владельца, попросите добавить ваш Telegram id { $userId }.
button-stale = Эта кнопка устарела. Отправьте команду ещё раз.
button-not-yours = Эти кнопки относятся к чужому сообщению.
button-download = ⬇️ Скачать
button-open-spotify = Открыть в Spotify
download-unavailable = Скачивание в этом боте недоступно.
download-started = Получаю трек…

## Вход (/login и /start <completion id>)

login-disabled = Spotify в этом боте не настроен, подключать нечего. Сначала его должен настроить владелец бота.
login-private-only = Ради вашей приватности Spotify подключается в личном чате со мной.
login-open-private-button = Открыть личный чат
login-status-unlinked = Spotify не подключён.
login-status-unfinished = Прошлый вход не был завершён. Вот новый.
login-status-revoked = Spotify отозвал доступ бота к вашему аккаунту. Подключитесь снова, чтобы пользоваться /now и /recent.
login-status-revoked-expired = Подключение к Spotify истекло: Spotify даёт на один вход шесть месяцев. Подключитесь снова, чтобы пользоваться /now и /recent.
login-status-linked = Подключено как { $name } с { $date }.
login-status-valid-until = Подключение действует до { $date }; я напомню заранее.
login-status-relink-waiting = Новый вход ждёт завершения.
login-connect-hint = Нажмите кнопку, войдите в Spotify и разрешите доступ. Кнопка действует 10 минут и только для вас: не пересылайте её.
login-reconnect-hint = Нажмите кнопку, чтобы снова войти в Spotify (можно выбрать другой аккаунт). Кнопка действует 10 минут.
login-connect-button = Подключить Spotify
login-reconnect-button = Переподключить
login-unlink-button = Отключить
login-linked = ✅ Подключено: { $name }
login-foreign = Эта ссылка для входа принадлежит другому аккаунту Telegram, поэтому ничего не подключено. Её владелец предупреждён. Чтобы подключить свой Spotify, отправьте /login.
login-expired = Ссылка для входа устарела. Отправьте /login, чтобы получить новую.
login-unknown = Ссылка для входа недействительна или уже использована. Отправьте /login, чтобы получить новую.
login-rate-limited = Вы начали слишком много входов за последние минуты. Отправьте /login снова через { $minutes } мин. Последняя кнопка входа, которую я прислал, действует 10 минут с момента отправки.

## Отключение

unlink-private-only = Spotify отключается в личном чате со мной.
unlink-confirm = Отключить ваш аккаунт Spotify? Бот удалит свои токены, а /now и /recent перестанут работать, пока вы не подключитесь снова.
unlink-yes-button = Да, отключить
unlink-no-button = Отмена
unlink-done = Spotify отключён, токены бота удалены. Сам отозвать доступ у Spotify бот не может: чтобы убрать его, откройте https://www.spotify.com/account/apps/ и удалите это приложение.
unlink-nothing = Spotify не подключён, отключать нечего.
unlink-cancelled = Хорошо, Spotify остаётся подключённым.

## Проблемы со Spotify (по типу ошибки)

spotify-disabled = Spotify в этом боте не настроен.
spotify-not-linked = Сначала подключите свой аккаунт Spotify.
spotify-link-revoked = Spotify отозвал доступ бота к вашему аккаунту. Подключитесь снова.
spotify-link-expired = Подключение к Spotify истекло через шесть месяцев. Подключитесь снова.
spotify-relink = Spotify больше не принимает это подключение. Подключитесь снова.
spotify-relink-in-progress = Вы начали новый вход в Spotify: завершите его (или снова отправьте /login) и попробуйте ещё раз.
spotify-not-registered = Spotify отказал: вашего аккаунта Spotify нет в списке пользователей этого бота. Приложения Spotify в режиме разработки работают максимум для 5 пользователей, каждого добавляют по e-mail. Попросите владельца бота добавить e-mail вашего аккаунта Spotify в разделе User Management панели разработчика Spotify, затем попробуйте снова.
spotify-retry-later = Spotify сейчас перегружен. Попробуйте через { $seconds } с.
spotify-too-often = Вы очень часто запрашивали свою музыку у Spotify в эту минуту. Попробуйте через { $seconds } с.
spotify-quota = Бот исчерпал свою квоту запросов к Spotify. Попробуйте позже.
spotify-broken = Spotify прислал ответ, который я не смог прочитать. Попробуйте позже.
spotify-unavailable = Spotify сейчас недоступен. Владелец бота уже знает об этом; попробуйте позже. Ссылки на музыку по-прежнему работают.

## Сейчас играет

now-nothing = Сейчас в вашем Spotify ничего не играет.
now-last-played = Последним играл: { $track } ({ $ago })
now-ad = В вашем Spotify играет реклама.
now-unknown = Spotify играет что-то, что я не могу показать.
now-paused = на паузе
now-album = Альбом: { $album }
now-show = Подкаст: { $show }
ago-just-now = только что
ago-minutes = { $n ->
    [one] { $n } минуту назад
    [few] { $n } минуты назад
   *[many] { $n } минут назад
}
ago-hours = { $n ->
    [one] { $n } час назад
    [few] { $n } часа назад
   *[many] { $n } часов назад
}
ago-days = { $n ->
    [one] { $n } день назад
    [few] { $n } дня назад
   *[many] { $n } дней назад
}

## Недавно прослушанные

recent-title = Недавно прослушанные, страница { $page } из { $pages }
recent-empty = У Spotify пока нет недавно прослушанных вами треков.
recent-newer = ◀️ Новее
recent-older = Старше ▶️

## Инлайн-режим

inline-connect-button = Подключить Spotify
inline-now-title = ▶️ Сейчас играет: { $title }
inline-share = 🎵 { $track }
inline-search-getting = ⏳ Достаю аудио: { $track }
inline-search-needs-start = Сначала откройте чат со мной и нажмите «Старт»: аудио загружается туда, прежде чем появиться здесь.

## Уведомления жизненного цикла подключения

notice-login-denied = Вы отменили вход в Spotify. Отправьте /login, когда захотите попробовать снова.
notice-login-failed-unavailable = У Spotify не получилось завершить ваш вход. Отправьте /login ещё раз через несколько минут.
notice-login-failed-rejected = Spotify отклонил вход. Подключитесь снова.
notice-foreign-completion = ⚠️ Кто-то с другим аккаунтом Telegram открыл ссылку, которая завершает ваш вход в Spotify. Ничего не подключено. Никогда не пересылайте ссылки для входа; отправьте /login, чтобы начать заново.
notice-revoked-invalid-grant = Spotify отозвал доступ бота к вашему аккаунту, поэтому /now и /recent не работают. Подключитесь снова, чтобы продолжить.
notice-revoked-expired = Подключение к Spotify истекло: Spotify даёт на один вход шесть месяцев. Подключитесь снова, чтобы продолжить.
notice-relink-soon = Подключение к Spotify закончится { $date } (Spotify даёт на один вход шесть месяцев). Подключитесь снова до этого дня, чтобы /now и /recent продолжали работать.
notice-slow-down = Вы присылаете сообщения быстрее, чем я успеваю отвечать, поэтому часть из них я пропускаю. Подождите немного и отправьте снова то, на что я не ответил.

## Тексты песен (/lyrics, из LRCLIB)

command-lyrics = Текст песни: что играет или аудио
command-search = Найти песню по названию
lyrics-disabled = Тексты песен в этом боте выключены.
lyrics-how-no-spotify = Отправьте /lyrics ответом на аудиосообщение, чтобы получить текст песни.
lyrics-nothing-playing = В вашем Spotify сейчас не играет трек. Включите его или отправьте /lyrics ответом на аудиосообщение.
lyrics-audio-untitled = У этого аудио нет названия, поэтому я не могу найти его текст.
lyrics-heading = 🎤 { $song }
lyrics-heading-page = 🎤 { $song } ({ $page }/{ $pages })
lyrics-instrumental = { $song } – инструментальная композиция, слов в ней нет.
lyrics-missing = Не нашёл текст песни { $song }.
lyrics-unavailable = Сервис текстов песен сейчас не отвечает. Попробуйте позже.
