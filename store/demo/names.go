package demo

// Name parts for demo customers: mostly Indian names, as in a typical
// Indian cable office, with some accented European and Latin American
// names so that search and invoices meet non-ASCII text.
var (
	firstNames = []string{
		"Aarav", "Aditi", "Akash", "Ananya", "Anil", "Anjali", "Arjun", "Asha", "Deepa", "Devendra",
		"Divya", "Farhan", "Gayatri", "Harish", "Imran", "Ishita", "Jaya", "Karan", "Kavya", "Lakshmi",
		"Mahesh", "Meera", "Mohan", "Nandini", "Naveen", "Neha", "Pooja", "Pradeep", "Priya", "Rahul",
		"Rajesh", "Ravi", "Rekha", "Rohan", "Sahil", "Sandeep", "Sanjay", "Shalini", "Sneha", "Suresh",
		"Swati", "Tanvi", "Uday", "Varun", "Vikram", "Vinod", "Yash", "Zainab", "Gurpreet", "Manpreet",
		"José", "María", "Émile", "Chloé", "Jürgen", "Zoë", "Søren", "François", "Inés", "Núria",
	}
	lastNames = []string{
		"Sharma", "Verma", "Iyer", "Nair", "Reddy", "Rao", "Patel", "Shah", "Gupta", "Menon",
		"Das", "Banerjee", "Chatterjee", "Kulkarni", "Deshpande", "Joshi", "Pillai", "Khan", "Singh", "Kaur",
		"Mehta", "Bhat", "Hegde", "Naidu", "Pandey", "Mishra", "Saxena", "Agarwal", "Chopra", "Malhotra",
		"Muñoz", "Pérez", "Lefèvre", "Müller", "Ødegaard", "Núñez",
	}
	streets = []string{
		"MG Road", "Station Road", "Gandhi Nagar", "Nehru Colony", "Shivaji Park", "Lake View Layout",
		"Temple Street", "Market Road", "Indira Nagar", "Rajiv Chowk", "Old Bazaar", "Civil Lines",
		"Green Park", "Sector 12", "Ram Nagar", "Subhash Marg",
	}
	idProofs = []string{"Aadhaar", "Voter ID", "PAN", "Driving licence", ""}
)
