// The emoji the reaction picker offers, second half: activities and events, travel and places,
// objects, symbols, flags. Same form as emojiPeopleNature.ts. Parsed by emojiList.ts.

/** Activities, places, objects, symbols and flags, one category per key. */
export const emojiThings = {
  activities: `
🎉 праздник поздравляю хлопушка tada party congrats
🎊 конфетти праздник confetti
🎈 шарик воздушный balloon
🎁 подарок gift present
🎀 бант ribbon bow
🎆 фейерверк fireworks
🎇 бенгальский_огонь sparkler
🎃 хэллоуин тыква halloween pumpkin
🎅 дед_мороз санта santa
🏆 кубок победа trophy win
🥇 золото первое_место gold first_place medal
🥈 серебро второе_место silver second_place
🥉 бронза третье_место bronze third_place
🏅 медаль medal
⚽ футбол мяч soccer football
🏀 баскетбол basketball
🏐 волейбол volleyball
🏈 американский_футбол american_football
⚾ бейсбол baseball
🎾 теннис tennis
🏓 пинг-понг настольный_теннис ping_pong table_tennis
🏒 хоккей hockey
🥅 ворота гол goal
⛳ гольф golf
🎣 рыбалка fishing
🏂 сноуборд snowboard
⛷️ лыжи skier ski
🏋️ штанга тренировка weight_lifting gym
🚴 велосипед велосипедист cyclist bike
🏊 плавание swimming
🧗 скалолазание climbing
🎯 цель в_точку мишень target bullseye dart goal
🎮 игра геймпад video_game gamepad
🎲 кубик игра dice game
🧩 пазл головоломка puzzle
♟️ шахматы chess
🎨 рисование искусство палитра art palette
🎭 театр theater
🎬 кино фильм clapper movie film
🎤 микрофон пою microphone sing karaoke
🎧 наушники музыка headphones music
🎵 нота музыка music note
🎶 музыка ноты notes music
🎸 гитара guitar
🎹 пианино piano keyboard
🥁 барабан drum
🎺 труба trumpet
🎻 скрипка violin
`,
  travel: `
🚗 машина автомобиль car
🚕 такси taxi
🚌 автобус bus
🚎 троллейбус trolleybus
🚑 скорая ambulance
🚒 пожарная fire_engine
🚓 полиция police_car
🚚 грузовик доставка truck delivery
🚜 трактор tractor
🚲 велосипед bicycle bike
🛴 самокат scooter
🚨 мигалка тревога siren alarm
🚦 светофор traffic_light
🚧 стройка ремонт construction roadwork
⛽ заправка бензин fuel gas
🚂 паровоз поезд locomotive train
🚆 поезд train
🚇 метро metro subway
🚊 трамвай tram
✈️ самолёт полёт командировка airplane plane flight
🛫 вылет departure
🛬 прилёт arrival
🚀 ракета запуск быстро rocket launch ship_it
🛸 нло ufo
🚁 вертолёт helicopter
⛵ парусник sailboat
🚢 корабль ship
⚓ якорь anchor
🗺️ карта map
🧭 компас compass
🏔️ горы mountain
⛰️ гора mountain
🏕️ кемпинг палатка camping
🏖️ пляж beach
🏝️ остров island
🏠 дом home house
🏡 дом_с_садом house_garden
🏢 офис здание office building
🏭 завод фабрика factory
🏥 больница hospital
🏦 банк bank
🏪 магазин store shop
🏫 школа school
🏛️ музей классика classical_building museum
⛪ церковь church
🕌 мечеть mosque
🗼 башня tower
🗽 статуя_свободы statue_of_liberty
🌆 город вечер cityscape city
🌃 ночной_город night city
🌍 земля мир планета earth globe world
🌐 интернет сеть globe_meridians internet web
⏰ будильник утро alarm_clock
⌛ песочные_часы hourglass
⏳ жду время hourglass_flowing waiting
⌚ часы время watch time
🕐 час время one_oclock clock
📅 календарь дата calendar date
🗓️ календарь план spiral_calendar schedule
`,
  objects: `
💻 ноутбук компьютер laptop computer
🖥️ компьютер монитор desktop computer monitor
🖨️ принтер печать printer print
⌨️ клавиатура keyboard
🖱️ мышка мышь_компьютерная computer_mouse
💾 дискета сохранить floppy save
💿 диск cd disc
📱 телефон смартфон mobile phone smartphone
☎️ телефон звонок telephone call
📞 трубка звонок telephone_receiver call
📠 факс fax
📺 телевизор tv
📷 фотоаппарат фото camera photo
📹 видеокамера video_camera
🎥 кинокамера movie_camera
🔋 батарея зарядка battery
🔌 вилка розетка plug electric
💡 лампочка идея мысль bulb idea
🔦 фонарик flashlight
🕯️ свеча candle
🧯 огнетушитель extinguisher
💰 деньги мешок money_bag
💵 доллары деньги dollar money
💶 евро euro
💳 карта кредитка credit_card payment
🧾 чек счёт receipt invoice
💎 бриллиант драгоценность gem diamond
⚖️ весы закон balance law scale
🔧 гаечный_ключ ремонт wrench fix
🔨 молоток hammer build
🛠️ инструменты настройка tools
⚙️ шестерёнка настройки gear settings
🔩 болт nut_and_bolt
🧰 ящик_инструментов toolbox
🧲 магнит magnet
🔬 микроскоп microscope
🔭 телескоп telescope
📡 антенна спутник satellite_antenna
💉 шприц прививка syringe vaccine
💊 таблетка лекарство pill medicine
🩺 стетоскоп врач stethoscope doctor
🚪 дверь door
🪑 стул chair
🛏️ кровать bed
🚽 туалет toilet
🧹 метла уборка broom cleaning
🧺 корзина basket
🛒 тележка покупки shopping_cart
🔑 ключ key
🗝️ старый_ключ old_key
🔒 замок закрыто lock locked
🔓 открыто unlock unlocked
🔐 закрыто_на_ключ lock_with_key secure
🛡️ щит защита shield security
📦 коробка посылка package box parcel
📫 почтовый_ящик mailbox
📬 почта письма mailbox_with_mail
✉️ конверт письмо envelope letter email
📧 почта электронная e-mail email
📨 входящее письмо incoming_envelope
📝 заметка записать memo note
✏️ карандаш pencil edit
🖊️ ручка pen
📌 кнопка закрепить pushpin pin
📍 метка место round_pushpin location
📎 скрепка вложение paperclip attachment
✂️ ножницы scissors cut
📁 папка folder
📂 открытая_папка open_folder
🗂️ картотека card_index dividers
📄 документ страница page document
📃 страница page_curl
📑 закладки bookmark_tabs
📊 диаграмма график отчёт bar_chart report statistics
📈 рост график_вверх chart_up growth increase
📉 падение график_вниз chart_down decrease
📋 буфер список задач clipboard list
📏 линейка ruler
📐 угольник triangle_ruler
🗑️ корзина мусор удалить wastebasket trash delete
📚 книги учёба books study
📖 книга читаю open_book read
🔖 закладка bookmark
🏷️ ярлык метка label tag
📰 газета новости newspaper news
📢 громкоговоритель объявление loudspeaker announcement
📣 мегафон megaphone
🔔 колокольчик уведомление bell notification
🔕 без_звука тихо no_bell mute
🔍 поиск лупа search magnifying
🔗 ссылка связь link chain
⏱️ секундомер stopwatch timer
🎓 выпускник учёба graduation cap
👓 очки glasses
🎒 рюкзак backpack
💼 портфель работа briefcase work
👔 галстук tie
☂️ зонт umbrella
`,
  symbols: `
❤️ сердце любовь red_heart love
🧡 оранжевое_сердце orange_heart
💛 жёлтое_сердце yellow_heart
💚 зелёное_сердце green_heart
💙 синее_сердце blue_heart
💜 фиолетовое_сердце purple_heart
🖤 чёрное_сердце black_heart
🤍 белое_сердце white_heart
💔 разбитое_сердце broken_heart
💕 два_сердца two_hearts
💖 сверкающее_сердце sparkling_heart
💯 сто_процентов точно hundred 100 perfect
💢 злость anger
💥 бум взрыв collision boom
💫 головокружение dizzy
💬 сообщение комментарий speech_balloon comment
💭 мысль thought_balloon
💤 сон zzz sleep
✅ готово сделано галочка да check done yes
☑️ отмечено ballot_box_check checked
✔️ галочка верно check_mark correct
❌ крестик нет ошибка cross no wrong
❎ крест_кнопка cross_button
➕ плюс добавить plus add
➖ минус minus
❓ вопрос question
❔ белый_вопрос white_question
❗ восклицание важно exclamation important
‼️ два_восклицания double_exclamation
⁉️ восклицание_вопрос interrobang
⚠️ внимание предупреждение warning caution
⛔ запрещено стоп no_entry forbidden
🚫 запрет нельзя prohibited forbidden
🆗 ок ok_button
🆕 новое new
🆓 бесплатно free
🆘 помогите sos help
🔴 красный_круг red_circle
🟠 оранжевый_круг orange_circle
🟡 жёлтый_круг yellow_circle
🟢 зелёный_круг green_circle
🔵 синий_круг blue_circle
🟣 фиолетовый_круг purple_circle
⚫ чёрный_круг black_circle
⚪ белый_круг white_circle
🔺 вверх_треугольник red_triangle_up
🔻 вниз_треугольник red_triangle_down
⬆️ стрелка_вверх arrow_up
⬇️ стрелка_вниз arrow_down
⬅️ стрелка_влево arrow_left
➡️ стрелка_вправо arrow_right
↩️ возврат ответ leftwards_return
🔄 обновить повтор refresh repeat
🔁 повтор repeat loop
♻️ переработка recycle
🔃 по_кругу clockwise
▶️ играть воспроизвести play
⏸️ пауза pause
⏹️ стоп stop
⏩ перемотка fast_forward
🔇 без_звука muted
🔊 громко loud speaker
#️⃣ решётка хэштег hash number
1️⃣ один one
2️⃣ два two
3️⃣ три three
🔟 десять ten
©️ копирайт copyright
®️ зарегистрировано registered
™️ товарный_знак trademark
♾️ бесконечность infinity
☮️ мир peace
☯️ инь_ян yin_yang
⭕ круг кольцо hollow_red_circle
🛑 стоп stop_sign
🏁 финиш флаг chequered_flag finish
`,
  flags: `
🇷🇺 россия российский_флаг russia ru
🇧🇾 беларусь belarus
🇰🇿 казахстан kazakhstan
🇺🇿 узбекистан uzbekistan
🇦🇲 армения armenia
🇬🇪 грузия georgia
🇦🇿 азербайджан azerbaijan
🇰🇬 киргизия kyrgyzstan
🇹🇯 таджикистан tajikistan
🇲🇳 монголия mongolia
🇨🇳 китай china
🇮🇳 индия india
🇹🇷 турция turkey
🇦🇪 оаэ эмираты uae emirates
🇩🇪 германия germany
🇫🇷 франция france
🇮🇹 италия italy
🇪🇸 испания spain
🇬🇧 великобритания британия uk britain
🇺🇸 сша америка usa america
🇯🇵 япония japan
🇧🇷 бразилия brazil
🏳️ белый_флаг сдаюсь white_flag surrender
🏴 чёрный_флаг black_flag
🚩 красный_флажок флажок red_flag triangular_flag
🎌 скрещённые_флаги crossed_flags
`,
};
